package app.connections.local.devserver;

import static org.assertj.core.api.Assertions.assertThat;

import app.connections.local.aws.CognitoUsers;
import app.connections.local.aws.LocalAws;
import app.connections.local.aws.LocalAwsExtension;
import app.connections.local.aws.ProviderStandIn;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Every authenticated route × every kind of caller → the expected status, through the dev server
 * with real user-pool tokens. The table must cover every route of template.yaml (the public OAuth
 * start and callback routes are credentialed by their session and state, and tested in the OAuth suite).
 */
@ExtendWith(LocalAwsExtension.class)
class AuthorizationMatrixTest {
    static final HttpClient HTTP = HttpClient.newHttpClient();
    static final ObjectMapper JSON = new ObjectMapper();
    static final String PASSWORD = "Test-only-Passw0rd!";
    static final List<String> CALLERS = List.of("accountAdmin", "accountMember", "workspaceAdmin", "workspaceEditor",
            "otherWorkspaceAdmin", "otherAccountAdmin", "portalClient", "noToken", "expiredToken", "otherPoolToken");

    record Row(String method, String path, String routeKey, String body, Map<String, Set<Integer>> expected) {
    }

    /** Expected statuses in CALLERS order; the last four columns are the same for every builder route. */
    static Map<String, Set<Integer>> builder(Object... firstSix) {
        Map<String, Set<Integer>> m = new LinkedHashMap<>();
        for (int i = 0; i < 6; i++) {
            m.put(CALLERS.get(i), firstSix[i] instanceof Set<?> s ? (Set<Integer>) s : Set.of((Integer) firstSix[i]));
        }
        for (String c : List.of("portalClient", "noToken", "expiredToken", "otherPoolToken")) {
            m.put(c, Set.of(401));
        }
        return m;
    }

    static Map<String, Set<Integer>> portal(int forClient) {
        Map<String, Set<Integer>> m = new LinkedHashMap<>();
        for (String c : CALLERS) {
            m.put(c, Set.of(c.equals("portalClient") ? forClient : 401));
        }
        return m;
    }

    @Test
    void everyRouteAnswersEveryKindOfCallerAsExpected(LocalAws local) throws Exception {
        try (ProviderStandIn provider = new ProviderStandIn().accept("fd-matrix-key", "{\"id\": 1}").accept("sk-matrix", "{\"data\": []}")) {
            Path catalog = Files.createTempFile("catalog", ".json");
            Files.writeString(catalog, provider.catalog());
            try (DevServer server = DevServer.start(local, 0, Map.of("CATALOG_FILE", catalog.toString()))) {
                String a = "acct-" + UUID.randomUUID().toString().substring(0, 8);
                String b = "acct-" + UUID.randomUUID().toString().substring(0, 8);
                Map<String, String> tokens = tokens(local, a, b);
                for (String ws : List.of("ws-a", "ws-b")) {
                    assertThat(send(server, tokens.get("accountAdmin"), "PUT", "/accounts/" + a + "/workspaces/" + ws, "{\"name\":\"W\"}").statusCode()).isEqualTo(200);
                }
                String w = JSON.readTree(send(server, tokens.get("accountAdmin"), "POST", "/workspaces/ws-a/connections",
                        "{\"app\":\"freshdesk\",\"label\":\"Desk\",\"credentials\":{\"apiKey\":\"fd-matrix-key\"},\"fields\":{\"subdomain\":\"acme\"}}").body()).path("id").asText();
                String k = JSON.readTree(send(server, tokens.get("accountAdmin"), "POST", "/accounts/" + a + "/connections",
                        "{\"app\":\"openai\",\"label\":\"Key\",\"credentials\":{\"apiKey\":\"sk-matrix\"}}").body()).path("id").asText();
                Set<Integer> ok = Set.of(200, 201);

                List<Row> rows = List.of(
                        new Row("GET", "/apps", "GET /apps", null, builder(200, 200, 200, 200, 200, 200)),
                        new Row("GET", "/accounts/" + a + "/workspaces", "GET /accounts/{accountId}/workspaces", null, builder(200, 403, 403, 403, 403, 404)),
                        new Row("PUT", "/accounts/" + a + "/workspaces/ws-c", "PUT /accounts/{accountId}/workspaces/{workspaceId}", "{\"name\":\"C\"}", builder(200, 403, 403, 403, 403, 404)),
                        new Row("POST", "/workspaces/ws-a/connections", "POST /workspaces/{workspaceId}/connections",
                                "{\"app\":\"freshdesk\",\"label\":\"Desk\",\"credentials\":{\"apiKey\":\"fd-matrix-key\"},\"fields\":{\"subdomain\":\"acme\"}}", builder(ok, 404, ok, 403, 404, 404)),
                        new Row("POST", "/accounts/" + a + "/connections", "POST /accounts/{accountId}/connections",
                                "{\"app\":\"openai\",\"label\":\"Key\",\"credentials\":{\"apiKey\":\"sk-matrix\"}}", builder(ok, 403, 403, 403, 403, 404)),
                        new Row("GET", "/workspaces/ws-a/connections?app=freshdesk", "GET /workspaces/{workspaceId}/connections", null, builder(200, 404, 200, 200, 404, 404)),
                        new Row("GET", "/workspaces/ws-a/alerts", "GET /workspaces/{workspaceId}/alerts", null, builder(200, 404, 200, 200, 404, 404)),
                        new Row("GET", "/workspaces/ws-a/connections/" + w, "GET /workspaces/{workspaceId}/connections/{connectionId}", null, builder(200, 404, 200, 200, 404, 404)),
                        new Row("PATCH", "/workspaces/ws-a/connections/" + w, "PATCH /workspaces/{workspaceId}/connections/{connectionId}", "{\"label\":\"Renamed\"}", builder(200, 404, 200, 403, 404, 404)),
                        new Row("GET", "/accounts/" + a + "/connections/" + k, "GET /accounts/{accountId}/connections/{connectionId}", null, builder(200, 403, 403, 403, 403, 404)),
                        new Row("PATCH", "/accounts/" + a + "/connections/" + k, "PATCH /accounts/{accountId}/connections/{connectionId}", "{\"label\":\"Renamed\"}", builder(200, 403, 403, 403, 403, 404)),
                        new Row("POST", "/workspaces/ws-a/connect-sessions", "POST /workspaces/{workspaceId}/connect-sessions", "{\"app\":\"hubspot\"}", builder(201, 404, 201, 403, 404, 404)),
                        new Row("POST", "/accounts/" + a + "/connect-sessions", "POST /accounts/{accountId}/connect-sessions", "{\"app\":\"hubspot\"}", builder(201, 403, 403, 403, 403, 404)),
                        new Row("POST", "/accounts/" + a + "/connections/" + k + "/grants", "POST /accounts/{accountId}/connections/{connectionId}/grants", "{\"workspaceId\":\"ws-b\",\"monthlySpendCapUsd\":5}", builder(ok, 403, 403, 403, 403, 404)),
                        new Row("GET", "/accounts/" + a + "/connections/" + k + "/grants", "GET /accounts/{accountId}/connections/{connectionId}/grants", null, builder(200, 403, 403, 403, 403, 404)),
                        new Row("GET", "/accounts/" + a + "/llm-keys", "GET /accounts/{accountId}/llm-keys", null, builder(200, 403, 403, 403, 403, 404)),
                        new Row("GET", "/portal/apps", "GET /portal/apps", null, portal(200)),
                        new Row("GET", "/portal/connections", "GET /portal/connections", null, portal(200)),
                        new Row("POST", "/portal/connect-sessions", "POST /portal/connect-sessions", "{\"app\":\"hubspot\"}", portal(201)),
                        // nobody completes a session that is not their own: as unknown as one that never existed
                        new Row("POST", "/workspaces/ws-a/connect-sessions/not-yours/complete",
                                "POST /workspaces/{workspaceId}/connect-sessions/{sessionId}/complete", "{\"completionCode\":\"x\"}",
                                builder(404, 404, 404, 404, 404, 404)),
                        new Row("POST", "/accounts/" + a + "/connect-sessions/not-yours/complete",
                                "POST /accounts/{accountId}/connect-sessions/{sessionId}/complete", "{\"completionCode\":\"x\"}",
                                builder(404, 404, 404, 404, 404, 404)),
                        new Row("POST", "/portal/connect-sessions/not-yours/complete", "POST /portal/connect-sessions/{sessionId}/complete",
                                "{\"completionCode\":\"x\"}", portal(404)),
                        new Row("POST", "/portal/connections/" + w + "/rotate", "POST /portal/connections/{connectionId}/rotate", null, portal(404)),
                        new Row("DELETE", "/portal/connections/" + w, "DELETE /portal/connections/{connectionId}", null, portal(404)),
                        // destructive ones last
                        new Row("DELETE", "/accounts/" + a + "/connections/" + k + "/grants/ws-b", "DELETE /accounts/{accountId}/connections/{connectionId}/grants/{workspaceId}", null, builder(200, 403, 403, 403, 403, 404)),
                        new Row("DELETE", "/workspaces/ws-a/connections/" + w, "DELETE /workspaces/{workspaceId}/connections/{connectionId}", null, builder(200, 404, 200, 403, 404, 404)),
                        new Row("DELETE", "/accounts/" + a + "/connections/" + k, "DELETE /accounts/{accountId}/connections/{connectionId}", null, builder(200, 403, 403, 403, 403, 404)));

                Set<String> covered = new TreeSet<>(rows.stream().map(Row::routeKey).toList());
                Set<String> templateRoutes = new TreeSet<>();
                local.template().functions().forEach(f -> f.routes().stream().filter(r -> !"NONE".equals(r.authorizer()))
                        .forEach(r -> templateRoutes.add(r.routeKey())));
                assertThat(covered).as("the matrix covers every authenticated route").isEqualTo(templateRoutes);

                List<String> mismatches = new ArrayList<>();
                for (Row row : rows) {
                    for (String caller : CALLERS) {
                        String token = caller.equals("otherPoolToken")
                                ? (row.path().startsWith("/portal/") ? tokens.get("accountAdmin") : tokens.get("portalClient"))
                                : caller.equals("expiredToken") ? (row.path().startsWith("/portal/") ? tokens.get("expiredPortal") : tokens.get("expiredBuilder"))
                                : tokens.get(caller);
                        int status = send(server, token, row.method(), row.path(), row.body()).statusCode();
                        if (!row.expected().get(caller).contains(status)) {
                            mismatches.add(row.method() + " " + row.path() + " as " + caller + ": " + status + ", expected " + row.expected().get(caller));
                        }
                    }
                }
                assertThat(mismatches).isEmpty();
            }
        }
    }

    private static Map<String, String> tokens(LocalAws local, String a, String b) throws Exception {
        CognitoUsers users = new CognitoUsers(local.stack());
        Map<String, String> tokens = new LinkedHashMap<>();
        Object[][] builders = {{"accountAdmin", a, "admin", ""}, {"accountMember", a, "member", ""},
                {"workspaceAdmin", a, "member", "ws-a:admin"}, {"workspaceEditor", a, "member", "ws-a:editor"},
                {"otherWorkspaceAdmin", a, "member", "ws-b:admin"}, {"otherAccountAdmin", b, "admin", ""}};
        for (Object[] u : builders) {
            String email = u[0] + "-" + a + "@test.example";
            users.ensure("BuilderUserPool", email, Map.of("custom:account_id", (String) u[1], "custom:account_role", (String) u[2],
                    "custom:workspace_roles", (String) u[3]), PASSWORD);
            tokens.put((String) u[0], users.idToken("BuilderUserPool", email, PASSWORD));
        }
        String client = "client-" + a + "@test.example";
        users.ensure("PortalUserPool", client, Map.of("custom:account_id", a, "custom:workspace_id", "ws-a"), PASSWORD);
        tokens.put("portalClient", users.idToken("PortalUserPool", client, PASSWORD));
        tokens.put("expiredBuilder", expired(local, "BuilderUserPool", Map.of("custom:account_id", a, "custom:account_role", "admin")));
        tokens.put("expiredPortal", expired(local, "PortalUserPool", Map.of("custom:account_id", a, "custom:workspace_id", "ws-a")));
        tokens.put("noToken", null);
        return tokens;
    }

    /** A token the pool's own key signed, an hour past its expiry. */
    static String expired(LocalAws local, String pool, Map<String, String> claims) throws Exception {
        Path file;
        try (var found = Files.find(local.root().resolve(".venv/lib"), 6, (p, at) -> p.endsWith("cognitoidp/resources/jwks-private.json.gz"))) {
            file = found.findFirst().orElseThrow();
        }
        RSAKey key;
        try (InputStream in = new GZIPInputStream(Files.newInputStream(file))) {
            key = new RSAKey.Builder(RSAKey.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8))).keyID("dummy").build();
        }
        var p = local.stack().userPools().get(pool);
        JWTClaimsSet.Builder set = new JWTClaimsSet.Builder().issuer(p.issuer()).audience(p.clientId()).subject("expired")
                .issueTime(Date.from(Instant.now().minusSeconds(7200))).expirationTime(Date.from(Instant.now().minusSeconds(3600)))
                .claim("token_use", "id");
        claims.forEach(set::claim);
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("dummy").build(), set.build());
        jwt.sign(new RSASSASigner(key));
        return jwt.serialize();
    }

    static HttpResponse<String> send(DevServer server, String token, String method, String path, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server.baseUrl() + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        if (body != null) {
            request.header("content-type", "application/json");
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
