package app.connections.local.aws;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A provider's OAuth endpoints with the behaviours refresh has to survive, which a general mock
 * server does not offer: refresh tokens that rotate on every use (an old one replayed is
 * {@code invalid_grant}), grants the user revokes, scripted failures (5xx, 429 with Retry-After,
 * {@code invalid_client}, a dropped connection), and a fixed latency for benchmarks. It also
 * answers {@code /authorize} and the code grant, so the connect flow can reconnect through it.
 */
public final class TokenEndpointStandIn implements AutoCloseable {
    private final HttpServer server;
    /** refresh token to the account it belongs to; a used or revoked one is removed. */
    private final Map<String, String> refreshTokens = new ConcurrentHashMap<>();
    private final Map<String, String> codes = new ConcurrentHashMap<>();
    private final Deque<Failure> scripted = new ConcurrentLinkedDeque<>();
    private final AtomicInteger tokenCalls = new AtomicInteger();
    private final AtomicInteger refreshCalls = new AtomicInteger();
    private final AtomicInteger revocationCalls = new AtomicInteger();
    private final AtomicInteger failingRevocations = new AtomicInteger();
    private final Map<String, Boolean> revokedRefreshTokens = new ConcurrentHashMap<>();
    private final java.util.List<Revocation> revocations = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final Deque<Failure> scriptedRevocations = new ConcurrentLinkedDeque<>();
    private volatile Duration latency = Duration.ZERO;
    private volatile String nextSubject = "account-1";
    private volatile long expiresIn = 3600;
    private volatile boolean rotates = true;
    private volatile String tokenPrefix = "";

    /**
     * A revocation request as received: the token, its {@code token_type_hint}, and the kind of token
     * it really is ({@code refresh_token} or {@code access_token}, as this provider issued it), and the
     * status answered.
     */
    public record Revocation(String token, String hint, String kind, int status) {
        public boolean hintMatches() {
            return kind.equals(hint);
        }
    }

    /** A scripted answer for the next token request. */
    public record Failure(int status, String body, String retryAfter, boolean drop) {
    }

    private final String baseUrl;

    public TokenEndpointStandIn() {
        this(null, null);
    }

    /**
     * A stand-in served over TLS with {@code tls} (its certificate names {@code hostName}), on
     * 127.0.0.1: callers reach it by that name through their own name resolution, as they would a
     * real provider.
     */
    public TokenEndpointStandIn(javax.net.ssl.SSLContext tls, String hostName) {
        try {
            if (tls == null) {
                server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 256);
            } else {
                com.sun.net.httpserver.HttpsServer https = com.sun.net.httpserver.HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 256);
                https.setHttpsConfigurator(new com.sun.net.httpserver.HttpsConfigurator(tls));
                server = https;
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the token endpoint stand-in", e);
        }
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/token", this::token);
        server.createContext("/authorize", this::authorize);
        server.createContext("/revoke", this::revoke);
        server.start();
        baseUrl = tls == null ? "http://127.0.0.1:" + server.getAddress().getPort()
                : "https://" + hostName + ":" + server.getAddress().getPort();
    }

    public String baseUrl() {
        return baseUrl;
    }

    /**
     * The consent screen, answered at once (a provider that skips it): the redirect back to {@code
     * redirect_uri} with a code for the account of {@link #nextConsentAs} and the request's state.
     */
    public String authorize(Map<String, String> query) {
        String code = "code-" + UUID.randomUUID();
        codes.put(code, nextSubject);
        return query.get("redirect_uri") + "?code=" + code + "&state="
                + URLEncoder.encode(query.getOrDefault("state", ""), StandardCharsets.UTF_8);
    }

    /** Tokens as if the account had just connected: {@code access_token}, {@code refresh_token}. */
    public Map<String, String> grant(String account) {
        String refresh = tokenPrefix + "rt-" + UUID.randomUUID();
        refreshTokens.put(refresh, account);
        return Map.of("access_token", tokenPrefix + "at-" + UUID.randomUUID(), "refresh_token", refresh);
    }

    /** Every token issued from now on starts with {@code prefix} (a canary marker for leak scans). */
    public void tokenPrefix(String prefix) {
        tokenPrefix = prefix;
    }

    /** The user revokes every grant of the account at the provider. */
    public void revokeGrantsOf(String account) {
        refreshTokens.entrySet().removeIf(e -> e.getValue().equals(account));
    }

    public boolean isValid(String refreshToken) {
        return refreshTokens.containsKey(refreshToken);
    }

    /** Whether this refresh token was revoked through the revocation endpoint (RFC 7009). */
    public boolean wasRevoked(String refreshToken) {
        return revokedRefreshTokens.containsKey(refreshToken);
    }

    public void failNext(Failure... failures) {
        for (Failure f : failures) {
            scripted.add(f);
        }
    }

    public void latency(Duration d) {
        latency = d;
    }

    /** The lifetime of the access tokens issued from now on; negative: the answer has no {@code expires_in}. */
    public void expiresIn(long seconds) {
        expiresIn = seconds;
    }

    /**
     * Whether a refresh spends its refresh token and answers a new one (the default); when not, the
     * refresh token stays valid and the refresh answer carries none ("keep the one you have").
     */
    public void rotatesRefreshTokens(boolean rotate) {
        rotates = rotate;
    }

    /** The account the next authorization (consent) belongs to. */
    public void nextConsentAs(String account) {
        nextSubject = account;
    }

    public int tokenCalls() {
        return tokenCalls.get();
    }

    public int refreshCalls() {
        return refreshCalls.get();
    }

    private void authorize(HttpExchange exchange) throws IOException {
        exchange.getResponseHeaders().set("location", authorize(form(exchange.getRequestURI().getRawQuery())));
        exchange.sendResponseHeaders(302, -1);
        exchange.close();
    }

    /** The next {@code n} revocation requests answer 503. */
    public void failRevocations(int n) {
        failingRevocations.set(n);
    }

    /** The next revocation requests answer these, in order (after any {@link #failRevocations} 503s). */
    public void failRevocationsWith(Failure... answers) {
        scriptedRevocations.addAll(java.util.List.of(answers));
    }

    /** Every revocation request received, in order (RFC 7009: refresh token first, each with its hint). */
    public java.util.List<Revocation> revocations() {
        return java.util.List.copyOf(revocations);
    }

    public int revocationCalls() {
        return revocationCalls.get();
    }

    private void revoke(HttpExchange exchange) throws IOException {
        revocationCalls.incrementAndGet();
        Map<String, String> f = form(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
        String token = f.getOrDefault("token", "");
        String kind = token.contains("rt-") ? "refresh_token" : "access_token"; // as issued: "rt-…" and "at-…"
        String hint = f.getOrDefault("token_type_hint", "");
        if (failingRevocations.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            revocations.add(new Revocation(token, hint, kind, 503));
            send(exchange, 503, "{\"error\":\"temporarily_unavailable\"}");
            return;
        }
        Failure scriptedFailure = scriptedRevocations.poll();
        if (scriptedFailure != null) {
            revocations.add(new Revocation(token, hint, kind, scriptedFailure.status()));
            send(exchange, scriptedFailure.status(), scriptedFailure.body());
            return;
        }
        revocations.add(new Revocation(token, hint, kind, 200));
        refreshTokens.remove(token);
        revokedRefreshTokens.put(token, true); // RFC 7009: an already invalid token is answered 200 too
        exchange.sendResponseHeaders(200, -1);
        exchange.close();
    }

    private void token(HttpExchange exchange) throws IOException {
        tokenCalls.incrementAndGet();
        Map<String, String> f = form(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
        sleep(latency);
        Failure failure = scripted.poll();
        if (failure != null) {
            if (failure.drop()) {
                exchange.close(); // no answer at all: a network error for the client
                return;
            }
            if (failure.retryAfter() != null) {
                exchange.getResponseHeaders().set("retry-after", failure.retryAfter());
            }
            send(exchange, failure.status(), failure.body());
            return;
        }
        String account;
        boolean refresh = "refresh_token".equals(f.get("grant_type"));
        if (refresh) {
            refreshCalls.incrementAndGet();
            String presented = f.getOrDefault("refresh_token", "");
            account = rotates ? refreshTokens.remove(presented) : refreshTokens.get(presented); // rotating: the old one is spent
        } else {
            account = codes.remove(f.getOrDefault("code", ""));
        }
        if (account == null) {
            send(exchange, 400, "{\"error\":\"invalid_grant\"}");
            return;
        }
        String accessToken = tokenPrefix + "at-" + UUID.randomUUID();
        StringBuilder body = new StringBuilder("{\"access_token\":\"").append(accessToken).append("\",\"token_type\":\"Bearer\"");
        if (!refresh || rotates) {
            String refreshToken = tokenPrefix + "rt-" + UUID.randomUUID();
            refreshTokens.put(refreshToken, account);
            body.append(",\"refresh_token\":\"").append(refreshToken).append('"');
        }
        if (expiresIn >= 0) {
            body.append(",\"expires_in\":").append(expiresIn);
        }
        send(exchange, 200, body.append(",\"account_id\":\"").append(account).append("\"}").toString());
    }

    private static void send(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("content-type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    private static Map<String, String> form(String raw) {
        Map<String, String> out = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return out;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                out.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return out;
    }

    private static void sleep(Duration d) {
        if (!d.isZero()) {
            try {
                Thread.sleep(d.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** The catalog entry of an app on this stand-in (CATALOG_FILE format). */
    public String catalogApp(String key) {
        return """
                {"key": "%1$s", "name": "Rotating CRM", "credentialKinds": ["OAUTH2"],
                 "oauth2": {"authorizationUrl": "%2$s/authorize", "tokenUrl": "%2$s/token", "scopes": ["crm.read"],
                            "pkce": true, "clientAuth": "client_secret_post", "rotatesRefreshTokens": true,
                            "identity": {"from": "token_response", "pointers": ["/account_id"]},
                            "revocation": {"url": "%2$s/revoke", "style": "rfc7009"}}}
                """.formatted(key, baseUrl());
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
