package app.connections.local.devserver;

import app.connections.connection.Connection;
import app.connections.connection.ConnectionStatus;
import app.connections.connection.ConnectionStore;
import app.connections.connection.Page;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.UnaryOperator;

/**
 * Dev-stack only (bin/local): the page at {@code /local/tools} that lets a person trying the stack
 * do what only a provider or a workflow run could: remove a demo user's grant at the demo OAuth
 * server, after which the next refresh of their connections is refused with {@code invalid_grant},
 * as a real provider refuses it. The page then asks the resolver for each of those connections with
 * {@code credentialRejected} — what a run does when the app answers 401 — so the connection turns to
 * "needs reauthorization" at once, the builder shows the banner, and Reconnect brings it back.
 */
final class LocalTools {
    static final String PAGE = "/local/tools";
    private static final ObjectMapper JSON = new ObjectMapper();
    /** A full read of the local table is fine here; bounded all the same. */
    private static final int MAX_PAGES = 50;

    private final DemoProvider demo;
    private final ConnectionStore store;
    private final UnaryOperator<byte[]> resolver;

    LocalTools(DemoProvider demo, ConnectionStore store, UnaryOperator<byte[]> resolver) {
        this.demo = demo;
        this.store = store;
        this.resolver = resolver;
    }

    /** Whether this request is one of the tools' (and it has been answered). */
    boolean handle(HttpExchange exchange, String method, String path) throws IOException {
        switch (method + " " + path) {
            case "GET " + PAGE -> DevServer.send(exchange, 200, Map.of("content-type", "text/html; charset=utf-8",
                    "cache-control", "no-store", "content-security-policy", DevServer.PAGE_CSP), resource("/local/tools.html"));
            case "GET /local/tools.js" -> DevServer.send(exchange, 200, Map.of("content-type", "text/javascript; charset=utf-8",
                    "cache-control", "no-store"), resource("/local/tools.js"));
            case "GET /local/demo/connections" -> DevServer.send(exchange, 200, Map.of("content-type", "application/json",
                    "cache-control", "no-store"), JSON.writeValueAsBytes(Map.of("connections", demoConnections().stream()
                    .map(LocalTools::row).toList())));
            case "POST /local/demo/revoke" -> revoke(exchange);
            default -> {
                return false;
            }
        }
        return true;
    }

    private void revoke(HttpExchange exchange) throws IOException {
        Object user;
        try (InputStream in = exchange.getRequestBody()) {
            user = JSON.readValue(in, Map.class).get("user");
        } catch (IOException unreadable) {
            user = null;
        }
        if (!(user instanceof String name) || name.isBlank()) {
            DevServer.send(exchange, 400, Map.of("content-type", "application/json"),
                    JSON.writeValueAsBytes(Map.of("message", "user: the demo provider's user name is required")));
            return;
        }
        demo.revokeGrantsOf(name);
        List<Map<String, Object>> refused = new ArrayList<>();
        for (Connection c : demoConnections()) {
            if (c.externalAccount().filter(name::equals).isEmpty() || c.status() != ConnectionStatus.ACTIVE) {
                continue;
            }
            Map<String, Object> request = new LinkedHashMap<>();
            request.put("connectionId", c.id());
            request.put("accountId", c.accountId());
            request.put("workspaceId", c.workspaceId().orElseThrow());
            request.put("runId", "local-tools-" + UUID.randomUUID());
            request.put("stepId", "demo-provider-revoked");
            request.put("credentialRejected", true);
            @SuppressWarnings("unchecked")
            Map<String, Object> answer = JSON.readValue(resolver.apply(JSON.writeValueAsBytes(request)), Map.class);
            Map<String, Object> row = row(store.find(c.id()).orElse(c));
            row.put("resolver", answer.getOrDefault("status", "?") + Optional.ofNullable(answer.get("reason")).map(r -> ": " + r).orElse(""));
            refused.add(row);
        }
        DevServer.send(exchange, 200, Map.of("content-type", "application/json", "cache-control", "no-store"),
                JSON.writeValueAsBytes(Map.of("user", name, "connections", refused)));
    }

    /** The demo app's workspace connections that are not revoked, oldest first. */
    private List<Connection> demoConnections() {
        List<Connection> found = new ArrayList<>();
        Optional<String> token = Optional.empty();
        for (int page = 0; page < MAX_PAGES; page++) {
            Page<Connection> next = store.everyConnection(200, token);
            next.items().stream().filter(c -> c.app().equals(DemoProvider.APP) && c.workspaceId().isPresent()
                    && c.status() != ConnectionStatus.REVOKED).forEach(found::add);
            token = next.nextToken();
            if (token.isEmpty()) {
                break;
            }
        }
        return found;
    }

    private static Map<String, Object> row(Connection c) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("connectionId", c.id());
        row.put("workspaceId", c.workspaceId().orElse(""));
        row.put("label", c.label());
        row.put("user", c.externalAccount().orElse(""));
        row.put("status", c.status().name());
        return row;
    }

    private static byte[] resource(String name) throws IOException {
        try (InputStream in = LocalTools.class.getResourceAsStream(name)) {
            return in.readAllBytes();
        }
    }
}
