package app.connections.local.devserver;

import app.connections.local.aws.LocalAws;
import app.connections.oauth.aws.SecretsManagerOAuthClients;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.OAuth2Config;
import software.amazon.awssdk.services.secretsmanager.model.ResourceExistsException;

/**
 * The dev stack's OAuth provider: mock-oauth2-server from Maven Central, with its interactive
 * sign-in page as the consent screen, registered as the custom catalog app {@value #APP}. Our
 * client registration for it goes to Secrets Manager exactly where a real app's would.
 *
 * <p>mock-oauth2-server refreshes any token it issued, forever, so a person trying the stack could
 * never see a connection break. Its token endpoint is therefore reached through a small gate that
 * remembers which signed-in user each refresh token belongs to, and refuses with {@code
 * invalid_grant} — as a real provider does once the user removed the app's access — the refresh
 * tokens of a user whose grants were revoked here ({@link #revokeGrantsOf}). The user's next consent
 * is a new grant, which refreshes again.
 */
final class DemoProvider implements AutoCloseable {
    static final String APP = "demo";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final MockOAuth2Server server = new MockOAuth2Server(OAuth2Config.Companion.fromJson("{\"interactiveLogin\": true}"));
    private final HttpServer gate;
    private final HttpClient forward = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    /** refresh token → the user (the ID token's {@code sub}) it was issued to. */
    private final Map<String, String> refreshTokenUsers = new ConcurrentHashMap<>();
    private final Set<String> revokedUsers = ConcurrentHashMap.newKeySet();

    DemoProvider(LocalAws local, String secretNamePrefix) {
        server.start(InetAddress.getLoopbackAddress(), 0);
        try {
            gate = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 32);
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the demo provider's token gate", e);
        }
        gate.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        gate.createContext("/token", this::token);
        gate.start();
        try {
            local.clients().secrets().createSecret(b -> b.name(SecretsManagerOAuthClients.secretName(secretNamePrefix, APP))
                    .secretString("{\"clientId\":\"connections-demo\",\"clientSecret\":\"demo-client-secret\"}"));
        } catch (ResourceExistsException alreadyThere) {
            // the stack was bootstrapped before
        }
    }

    String issuer() {
        return server.issuerUrl(APP).toString();
    }

    /** The catalog entry of the demo app (CATALOG_FILE format). */
    String catalogApp() {
        return """
                {"key": "demo", "name": "Demo CRM (local OAuth server)", "credentialKinds": ["OAUTH2"],
                 "oauth2": {"authorizationUrl": "%1$s/authorize", "tokenUrl": "%2$s",
                            "scopes": ["openid", "offline_access"], "pkce": true, "clientAuth": "client_secret_basic",
                            "issuer": "%1$s", "identity": {"from": "id_token", "pointers": ["sub"]},
                            "revocation": {"url": "%1$s/revoke", "style": "rfc7009"}}}
                """.formatted(issuer(), tokenUrl());
    }

    String tokenUrl() {
        return "http://127.0.0.1:" + gate.getAddress().getPort() + "/token";
    }

    /**
     * The user removes our app's access at the provider: every refresh token issued to them is
     * refused from now on, until they consent again.
     *
     * @return whether a refresh token of theirs is known here (they connected since the stack started)
     */
    boolean revokeGrantsOf(String user) {
        revokedUsers.add(user);
        return refreshTokenUsers.containsValue(user);
    }

    private void token(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            Map<String, String> form = form(new String(body, StandardCharsets.UTF_8));
            boolean refresh = "refresh_token".equals(form.get("grant_type"));
            String user = refresh ? refreshTokenUsers.get(form.getOrDefault("refresh_token", "")) : null;
            if (user != null && revokedUsers.contains(user)) {
                reply(exchange, 400, ("{\"error\":\"invalid_grant\",\"error_description\":"
                        + "\"the user removed this app's access at the demo provider\"}").getBytes(StandardCharsets.UTF_8));
                return;
            }
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(issuer() + "/token")).timeout(Duration.ofSeconds(10))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body));
            for (String header : new String[] {"Authorization", "Content-Type", "Accept"}) {
                Optional.ofNullable(exchange.getRequestHeaders().getFirst(header)).ifPresent(v -> request.header(header, v));
            }
            HttpResponse<byte[]> answer;
            try {
                answer = forward.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted", e);
            }
            if (answer.statusCode() == 200) {
                remember(answer.body(), user, refresh);
            }
            reply(exchange, answer.statusCode(), answer.body());
        }
    }

    /** Records whose refresh token the answer carries; a new consent is a new grant. */
    private void remember(byte[] answer, String refreshingUser, boolean refresh) {
        try {
            JsonNode tokens = JSON.readTree(answer);
            String user = Optional.ofNullable(subjectOf(tokens.path("id_token").asText(null))).orElse(refreshingUser);
            if (user == null) {
                return;
            }
            if (!refresh) {
                revokedUsers.remove(user);
            }
            String refreshToken = tokens.path("refresh_token").asText(null);
            if (refreshToken != null) {
                refreshTokenUsers.put(refreshToken, user);
            }
        } catch (IOException | RuntimeException unreadable) {
            // not a token answer this gate understands; passed on as it is
        }
    }

    private static String subjectOf(String idToken) throws IOException {
        if (idToken == null || idToken.split("\\.").length < 2) {
            return null;
        }
        return JSON.readTree(Base64.getUrlDecoder().decode(idToken.split("\\.")[1])).path("sub").asText(null);
    }

    private static Map<String, String> form(String body) {
        Map<String, String> form = new LinkedHashMap<>();
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                form.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return form;
    }

    private static void reply(HttpExchange exchange, int status, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("content-type", "application/json");
        exchange.getResponseHeaders().set("cache-control", "no-store");
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            exchange.getResponseBody().write(body);
        }
    }

    @Override
    public void close() {
        gate.stop(0);
        server.shutdown();
    }
}
