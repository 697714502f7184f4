package app.connections.functions.oauth;

import app.connections.local.aws.LocalAws;
import app.connections.local.aws.ProviderStandIn;
import app.connections.testing.OAuthWorld;
import app.connections.oauth.aws.SecretsManagerOAuthClients;
import app.connections.platform.Config;
import app.connections.platform.Json;
import app.connections.platform.aws.AwsClients;
import app.connections.wiring.Services;
import app.connections.workspace.Workspace;
import app.connections.workspace.aws.DynamoWorkspaceRegistry;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.InputStream;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback;
import software.amazon.awssdk.services.secretsmanager.model.ResourceExistsException;

/**
 * The OAuth flow against a real OAuth 2.0 / OIDC server (mock-oauth2-server) and moto: a custom
 * catalog app {@code demo} on it, and {@code failing} whose token endpoint answers 500.
 */
final class OAuthFixture implements AutoCloseable {
    static final String BUILDER_ORIGIN = "https://builder.test";
    final LocalAws local;
    final MockOAuth2Server oauth = new MockOAuth2Server();
    final ProviderStandIn standIn = new ProviderStandIn();
    final String account = "acct-" + UUID.randomUUID().toString().substring(0, 8);
    final OAuthWorld.MutableClock clock = new OAuthWorld.MutableClock();
    final Config config;
    final Services services;
    final OAuthHandler handler;
    final String issuer;
    private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

    OAuthFixture(LocalAws local) throws Exception {
        this(local, (service, o) -> { });
    }

    /** A fixture whose service builds its SDK clients with {@code serviceClients} (e.g. a fault injector). */
    OAuthFixture(LocalAws local, AwsClients.Customizer serviceClients) throws Exception {
        this.local = local;
        oauth.start();
        issuer = oauth.issuerUrl("demo").toString();
        Path catalog = Files.createTempFile("catalog", ".json");
        Files.writeString(catalog, """
                {"apps": [
                  {"key": "demo", "name": "Demo", "credentialKinds": ["OAUTH2"],
                   "oauth2": {"authorizationUrl": "%1$s/authorize", "tokenUrl": "%1$s/token", "scopes": ["openid", "offline_access"],
                              "pkce": true, "clientAuth": "client_secret_basic", "issuer": "%1$s",
                              "identity": {"from": "id_token", "pointers": ["sub"]}}},
                  {"key": "strict", "name": "Strict", "credentialKinds": ["OAUTH2"],
                   "oauth2": {"authorizationUrl": "%1$s/authorize", "tokenUrl": "%1$s/token", "scopes": ["openid", "offline_access"],
                              "pkce": true, "clientAuth": "client_secret_basic", "issuer": "%1$s", "sendsIssuer": true,
                              "identity": {"from": "id_token", "pointers": ["sub"]}}},
                  {"key": "consenting", "name": "Consenting", "credentialKinds": ["OAUTH2"],
                   "oauth2": {"authorizationUrl": "%1$s/authorize", "tokenUrl": "%1$s/token", "scopes": ["openid"],
                              "pkce": true, "consentParams": {"prompt": "consent"},
                              "identity": {"from": "id_token", "pointers": ["sub"]}}},
                  {"key": "discovered", "name": "Discovered", "credentialKinds": ["OAUTH2"],
                   "oauth2": {"issuer": "%1$s", "discovery": "auto"}},
                  {"key": "mismatched", "name": "Mismatched", "credentialKinds": ["OAUTH2"],
                   "oauth2": {"issuer": "%1$s/", "discovery": "openid-configuration"}},
                  {"key": "failing", "name": "Failing", "credentialKinds": ["OAUTH2"],
                   "oauth2": {"authorizationUrl": "%1$s/authorize", "tokenUrl": "%2$s/failing/token", "scopes": ["openid"],
                              "pkce": true, "identity": {"from": "id_token", "pointers": ["sub"]}}}
                ]}
                """.formatted(issuer, standIn.baseUrl()));
        Map<String, String> env = new HashMap<>(local.environmentOf("OAuthFunction"));
        env.put("CATALOG_FILE", catalog.toString());
        env.put("OUTBOUND_ALLOW_LOOPBACK", "true");
        env.put("OAUTH_REDIRECT_URI", "http://127.0.0.1:9/oauth/callback");
        env.put("BUILDER_ORIGIN", BUILDER_ORIGIN);
        config = Config.from(env);
        services = new Services(config, new AwsClients(serviceClients), clock);
        handler = new OAuthHandler(services.connectFlow(), config.builderOrigin());
        var secrets = local.stack().clients().secrets();
        for (String app : new String[] {"demo", "strict", "consenting", "discovered", "failing"}) {
            try {
                secrets.createSecret(b -> b.name(SecretsManagerOAuthClients.secretName(config.secretNamePrefix(), app))
                        .secretString("{\"clientId\":\"connections-" + app + "\",\"clientSecret\":\"client-secret-" + app + "\"}"));
            } catch (ResourceExistsException alreadyThere) {
                // shared by every test class on this stack
            }
        }
        var registry = new DynamoWorkspaceRegistry(local.clients().dynamo(), local.stack().table());
        registry.put(new Workspace("ws-acme", account, "Acme Corp"));
    }

    APIGatewayV2HTTPEvent event(String name) throws Exception {
        return event(name, "acme-admin");
    }

    /** A sample event of events/oauth, signed in (where the route has an authorizer) as {@code subject} of this account. */
    APIGatewayV2HTTPEvent event(String name, String subject) throws Exception {
        try (InputStream in = Files.newInputStream(local.root().resolve("events/oauth/" + name + ".json"))) {
            APIGatewayV2HTTPEvent event = LambdaEventSerializers.serializerFor(APIGatewayV2HTTPEvent.class,
                    getClass().getClassLoader()).fromJson(in);
            if (event.getRequestContext().getAuthorizer() != null) {
                Map<String, String> claims = new HashMap<>(event.getRequestContext().getAuthorizer().getJwt().getClaims());
                claims.put("custom:account_id", account);
                claims.put("sub", subject);
                event.getRequestContext().getAuthorizer().getJwt().setClaims(claims);
            }
            return event;
        }
    }

    /** POST …/connect-sessions; returns the JSON answer. */
    JsonNode createSession(String body) throws Exception {
        APIGatewayV2HTTPEvent event = event("create-connect-session");
        event.setBody(body);
        APIGatewayV2HTTPResponse response = handler.handleRequest(event, null);
        if (response.getStatusCode() != 201) {
            throw new AssertionError("connect session: " + response.getStatusCode() + " " + response.getBody());
        }
        return Json.MAPPER.readTree(response.getBody());
    }

    APIGatewayV2HTTPResponse start(String sessionId) throws Exception {
        APIGatewayV2HTTPEvent event = event("start");
        event.setQueryStringParameters(Map.of("session", sessionId));
        return handler.handleRequest(event, null);
    }

    /** The user consents at the provider as {@code subject}: returns the redirect's query (code, state…). */
    Map<String, String> consent(String providerUrl, String subject) throws Exception {
        oauth.enqueueCallback(new DefaultOAuth2TokenCallback("demo", subject));
        HttpResponse<String> redirect = http.send(HttpRequest.newBuilder(URI.create(providerUrl)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        if (redirect.statusCode() != 302) {
            throw new AssertionError("provider did not redirect: " + redirect.statusCode() + " " + redirect.body());
        }
        return query(URI.create(redirect.headers().firstValue("location").orElseThrow()));
    }

    APIGatewayV2HTTPResponse callback(Map<String, String> params) throws Exception {
        APIGatewayV2HTTPEvent event = event("callback");
        event.setQueryStringParameters(new LinkedHashMap<>(params));
        return handler.handleRequest(event, null);
    }

    /** POST …/connect-sessions/{id}/complete as {@code user} of this account, in workspace {@code workspaceId}. */
    APIGatewayV2HTTPResponse complete(String sessionId, String completionCode, String user, String workspaceId) throws Exception {
        APIGatewayV2HTTPEvent event = event("complete-connect-session", user);
        event.setPathParameters(Map.of("workspaceId", workspaceId, "sessionId", sessionId));
        var claims = new HashMap<>(event.getRequestContext().getAuthorizer().getJwt().getClaims());
        claims.put("custom:workspace_roles", workspaceId + ":admin");
        event.getRequestContext().getAuthorizer().getJwt().setClaims(claims);
        event.setBody(Json.MAPPER.writeValueAsString(Map.of("completionCode", completionCode)));
        return handler.handleRequest(event, null);
    }

    /**
     * Session, start, consent as {@code subject}, callback, and the opener completing with the popup's
     * completion code (as the signed-in creator): the popup's whole trip. Answers the completion, or the
     * callback's page when the callback already failed.
     */
    APIGatewayV2HTTPResponse connect(String sessionBody, String subject) throws Exception {
        return finish(createSession(sessionBody).path("sessionId").asText(), subject);
    }

    /** Start, consent as {@code subject}, callback and completion of a session already created. */
    APIGatewayV2HTTPResponse finish(String session, String subject) throws Exception {
        APIGatewayV2HTTPResponse start = start(session);
        return completeFrom(callback(consent(start.getHeaders().get("location"), subject)));
    }

    /** The opener's completion of what a callback page posted (or that page, when the callback failed). */
    APIGatewayV2HTTPResponse completeFrom(APIGatewayV2HTTPResponse page) throws Exception {
        JsonNode posted = message(page);
        if (!posted.path("status").asText().equals("authorized")) {
            return page;
        }
        return complete(posted.path("sessionId").asText(), posted.path("completionCode").asText(), "acme-admin", "ws-acme");
    }

    /** Every connection item of this fixture's account, PENDING ones included (a test-only scan). */
    java.util.List<Map<String, software.amazon.awssdk.services.dynamodb.model.AttributeValue>> connectionItems() {
        return local.clients().dynamo().scan(b -> b.tableName(config.tableName()).consistentRead(true)
                .filterExpression("#type = :connection AND accountId = :account")
                .expressionAttributeNames(Map.of("#type", "type"))
                .expressionAttributeValues(Map.of(":connection", software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromS("connection"),
                        ":account", software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromS(account)))).items();
    }

    /** Secrets of this fixture's account (connection secrets are named {@code <prefix>/<account>/…}). */
    java.util.List<String> secretsOfAccount() {
        return local.clients().secrets().listSecrets(b -> b.maxResults(100)
                .filters(f -> f.key("name").values(config.secretNamePrefix() + "/" + account + "/"))).secretList().stream()
                .filter(secret -> secret.deletedDate() == null).map(secret -> secret.name()).toList();
    }

    /** The requests the OAuth server received since the last call (drained). */
    java.util.List<String> providerRequests() throws InterruptedException {
        java.util.List<String> seen = new java.util.ArrayList<>();
        while (true) {
            okhttp3.mockwebserver.RecordedRequest r;
            try {
                r = oauth.takeRequest(50, java.util.concurrent.TimeUnit.MILLISECONDS);
            } catch (RuntimeException none) {
                return seen;
            }
            if (r == null) {
                return seen;
            }
            seen.add(r.getMethod() + " " + r.getRequestUrl().encodedPath());
        }
    }

    /** The message the result page posts to the builder (or a completion's JSON answer). */
    static JsonNode message(APIGatewayV2HTTPResponse page) throws Exception {
        if (page.getBody() != null && page.getBody().startsWith("{")) {
            return Json.MAPPER.readTree(page.getBody());
        }
        Matcher m = Pattern.compile("var m=(\\{.*?\\});").matcher(page.getBody());
        if (!m.find()) {
            throw new AssertionError("no message in " + page.getBody());
        }
        return Json.MAPPER.readTree(m.group(1));
    }

    static Map<String, String> query(URI uri) {
        Map<String, String> out = new LinkedHashMap<>();
        if (uri.getRawQuery() != null) {
            for (String pair : uri.getRawQuery().split("&")) {
                int eq = pair.indexOf('=');
                out.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return out;
    }

    @Override
    public void close() {
        oauth.shutdown();
        standIn.close();
    }
}
