package app.connections.local.aws;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A local HTTP server standing in for a third-party app's key-check endpoint (tests and the dev
 * stack reach it through a custom catalog entry). It answers 200 with the account body registered
 * for a key found in the request's credentials, 503 for the key {@value #DOWN}, 500 on any path
 * under {@value #FAILING}, and 401 otherwise.
 */
public final class ProviderStandIn implements AutoCloseable {
    public static final String DOWN = "provider-is-down";
    public static final String FAILING = "/failing/";

    private final HttpServer server;
    private final Map<String, String> accounts = new ConcurrentHashMap<>();
    private final AtomicInteger calls = new AtomicInteger();

    public ProviderStandIn() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the provider stand-in", e);
        }
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", this::answer);
        server.start();
    }

    /** Accepts {@code key}, answering with this JSON body (the account the key belongs to). */
    public ProviderStandIn accept(String key, String accountJson) {
        accounts.put(key, accountJson);
        return this;
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /**
     * A custom catalog (CATALOG_FILE format) in which Freshdesk and OpenAI are as in the built-in
     * catalog except that their key checks go to this stand-in.
     */
    public String catalog() {
        return """
                {"apps": [
                  {"key": "freshdesk", "overrides": true, "name": "Freshdesk", "group": "support", "description": "Help-desk tickets, contacts and agents.",
                   "credentialKinds": ["API_KEY"],
                   "fields": [{"name": "subdomain", "label": "Freshdesk subdomain", "pattern": "^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$", "required": true, "example": "acme",
                               "help": "The part before .freshdesk.com"}],
                   "apiKey": {"test": {"url": "%1$s/{subdomain}/api/v2/agents/me", "auth": {"type": "basic", "username": "{apiKey}", "password": "X"},
                              "identityPointers": ["/id"]}}},
                  {"key": "openai", "overrides": true, "name": "OpenAI", "category": "model_provider", "credentialKinds": ["API_KEY"],
                   "apiKey": {"test": {"url": "%1$s/v1/models", "auth": {"type": "bearer"}}}}
                ]}
                """.formatted(baseUrl());
    }

    public int calls() {
        return calls.get();
    }

    private void answer(HttpExchange exchange) throws IOException {
        calls.incrementAndGet();
        String presented = presentedCredentials(exchange);
        int status = 401;
        String body = "{\"message\":\"unauthorized\"}";
        if (exchange.getRequestURI().getPath().startsWith(FAILING)) {
            status = 500;
            body = "{\"error\":\"server_error\"}";
        } else if (presented.contains(DOWN)) {
            status = 503;
            body = "{\"message\":\"maintenance\"}";
        } else {
            for (var e : accounts.entrySet()) {
                if (presented.contains(e.getKey())) {
                    status = 200;
                    body = e.getValue();
                    break;
                }
            }
        }
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("content-type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    private static String presentedCredentials(HttpExchange exchange) {
        StringBuilder out = new StringBuilder();
        exchange.getRequestHeaders().forEach((name, values) -> values.forEach(v -> {
            out.append(v).append('\n');
            if (name.equalsIgnoreCase("authorization") && v.startsWith("Basic ")) {
                out.append(new String(Base64.getDecoder().decode(v.substring(6)), StandardCharsets.UTF_8)).append('\n');
            }
        }));
        return out.toString();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
