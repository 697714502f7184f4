package app.connections.local.devserver;

import static org.assertj.core.api.Assertions.assertThat;

import app.connections.local.aws.BusTap;
import app.connections.local.aws.CognitoUsers;
import app.connections.local.aws.LocalAws;
import app.connections.local.aws.LocalAwsExtension;
import app.connections.local.aws.ProviderStandIn;
import app.connections.local.aws.TokenEndpointStandIn;
import app.connections.oauth.aws.SecretsManagerOAuthClients;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.lambda.LambdaClient;

/**
 * A canary marker planted in an API key, OAuth tokens and an OAuth client secret must appear in no
 * HTTP response (except the resolver's own credential), no log line, no event on the bus, and no
 * DynamoDB item, after every route and the refresher, resolver and portal paths have run.
 */
@ExtendWith(LocalAwsExtension.class)
class LeakScanTest {
    static final HttpClient HTTP = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
    static final ObjectMapper JSON = new ObjectMapper();
    static final String PASSWORD = "Test-only-Passw0rd!";

    private final List<String> responses = new ArrayList<>();

    @Test
    void aCanarySecretAppearsNowhereButInTheResolversCredential(LocalAws local) throws Exception {
        String marker = "CANARY" + UUID.randomUUID().toString().replace("-", "");
        ByteArrayOutputStream logs = new ByteArrayOutputStream();
        PrintStream out = System.out;
        PrintStream err = System.err;
        System.setOut(new PrintStream(new Tee(out, logs), true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(new Tee(err, logs), true, StandardCharsets.UTF_8));
        String a = "acct-" + UUID.randomUUID().toString().substring(0, 8);
        BusTap bus = BusTap.on(local.stack(), "{\"source\":[\"app.connections\"]}");
        List<String> credentials = new ArrayList<>();
        int renewedByResolves;
        try (ProviderStandIn keys = new ProviderStandIn().accept("fd-" + marker, "{\"id\": 9}").accept("sk-" + marker, "{\"data\": []}");
             TokenEndpointStandIn oauth = new TokenEndpointStandIn()) {
            oauth.tokenPrefix(marker);
            // Two-second tokens: every resolve through the dev server's Invoke API meets a token inside
            // its lead and renews it first (the rate guard is off here), so refreshed tokens are scanned too.
            oauth.expiresIn(2);
            String app = "leak-" + UUID.randomUUID().toString().substring(0, 8);
            Path catalog = Files.createTempFile("catalog", ".json");
            var apps = JSON.createArrayNode();
            JSON.readTree(keys.catalog()).path("apps").forEach(apps::add);
            apps.add(JSON.readTree(oauth.catalogApp(app)));
            Files.writeString(catalog, JSON.writeValueAsString(Map.of("apps", apps)));
            String prefix = local.environmentOf("OAuthFunction").get("SECRET_NAME_PREFIX");
            local.clients().secrets().createSecret(b -> b.name(SecretsManagerOAuthClients.secretName(prefix, app))
                    .secretString("{\"clientId\":\"leak\",\"clientSecret\":\"cs-" + marker + "\"}"));
            try (DevServer server = DevServer.start(local, 0, Map.of("CATALOG_FILE", catalog.toString(),
                    "REFRESH_MIN_INTERVAL_SECONDS", "0"));
                 LambdaClient lambda = LambdaClient.builder().endpointOverride(URI.create(server.baseUrl())).build()) {
                CognitoUsers users = new CognitoUsers(local.stack());
                users.ensure("BuilderUserPool", "owner-" + a + "@test.example", Map.of("custom:account_id", a,
                        "custom:account_role", "admin", "custom:workspace_roles", ""), PASSWORD);
                users.ensure("PortalUserPool", "client-" + a + "@test.example", Map.of("custom:account_id", a,
                        "custom:workspace_id", "ws-a"), PASSWORD);
                String owner = users.idToken("BuilderUserPool", "owner-" + a + "@test.example", PASSWORD);
                String client = users.idToken("PortalUserPool", "client-" + a + "@test.example", PASSWORD);

                call(server, owner, "PUT", "/accounts/" + a + "/workspaces/ws-a", "{\"name\":\"A\"}");
                call(server, owner, "GET", "/accounts/" + a + "/workspaces", null);
                call(server, owner, "GET", "/apps", null);
                String key = field(call(server, owner, "POST", "/workspaces/ws-a/connections", "{\"app\":\"freshdesk\",\"label\":\"Desk\","
                        + "\"credentials\":{\"apiKey\":\"fd-" + marker + "\"},\"fields\":{\"subdomain\":\"acme\"}}"), "id");
                call(server, owner, "POST", "/workspaces/ws-a/connections", "{\"app\":\"freshdesk\",\"label\":\"Desk\","
                        + "\"credentials\":{\"apiKey\":\"fd-" + marker + "\"},\"fields\":{\"subdomain\":\"acme\"}}");
                call(server, owner, "POST", "/workspaces/ws-a/connections", "{\"app\":\"freshdesk\",\"label\":\"Desk\","
                        + "\"credentials\":{\"apiKey\":\"fd-wrong-" + marker + "\"},\"fields\":{\"subdomain\":\"acme\"}}");
                call(server, owner, "POST", "/workspaces/ws-a/connections", "{\"app\":\"freshdesk\",\"label\":\"\\u0000" + marker + "\","
                        + "\"credentials\":{\"apiKey\":\"fd-" + marker + "\"},\"fields\":{\"subdomain\":\"" + marker + ".evil\"}}");
                call(server, owner, "GET", "/workspaces/ws-a/connections?app=freshdesk", null);
                call(server, owner, "GET", "/workspaces/ws-a/connections/" + key, null);
                call(server, owner, "PATCH", "/workspaces/ws-a/connections/" + key, "{\"label\":\"Desk 2\"}");
                call(server, owner, "GET", "/workspaces/ws-a/alerts", null);

                String builderOAuth = oauthConnect(server, owner, "/workspaces/ws-a/connect-sessions/",
                        call(server, owner, "POST", "/workspaces/ws-a/connect-sessions", "{\"app\":\"" + app + "\"}"));
                oauth.nextConsentAs("account-of-the-client"); // another external account: a second connection
                String portalOAuth = oauthConnect(server, client, "/portal/connect-sessions/",
                        call(server, client, "POST", "/portal/connect-sessions", "{\"app\":\"" + app + "\"}"));
                responses.add(invoke(lambda, "RefresherFunction", "{}"));
                Thread.sleep(1_100); // past half the tokens' two-second lifetime: due
                for (String id : List.of(builderOAuth, portalOAuth, key)) {
                    credentials.add(invoke(lambda, "ResolverFunction", JSON.writeValueAsString(Map.of("connectionId", id, "accountId", a,
                            "workspaceId", "ws-a", "runId", "run-1", "stepId", "s"))));
                }
                renewedByResolves = oauth.refreshCalls();
                call(server, client, "GET", "/portal/connections", null);
                call(server, client, "POST", "/portal/connections/" + portalOAuth + "/rotate", null);
                call(server, client, "DELETE", "/portal/connections/" + portalOAuth, null);

                String llm = field(call(server, owner, "POST", "/accounts/" + a + "/connections",
                        "{\"app\":\"openai\",\"label\":\"Key\",\"credentials\":{\"apiKey\":\"sk-" + marker + "\"}}"), "id");
                call(server, owner, "GET", "/accounts/" + a + "/connections/" + llm, null);
                call(server, owner, "POST", "/accounts/" + a + "/connections/" + llm + "/grants", "{\"workspaceId\":\"ws-a\",\"monthlySpendCapUsd\":5}");
                String granted = invoke(lambda, "ResolverFunction", JSON.writeValueAsString(Map.of("connectionId", llm, "accountId", a,
                        "workspaceId", "ws-a", "runId", "run-2", "stepId", "s", "estimatedCostUsd", 1)));
                credentials.add(granted);
                responses.add(invoke(lambda, "ResolverFunction", JSON.writeValueAsString(Map.of("reservationId",
                        JSON.readTree(granted).path("reservationId").asText(), "actualCostUsd", 0.5))));
                call(server, owner, "GET", "/accounts/" + a + "/connections/" + llm + "/grants", null);
                call(server, owner, "GET", "/accounts/" + a + "/llm-keys", null);
                call(server, owner, "DELETE", "/accounts/" + a + "/connections/" + llm + "/grants/ws-a", null);
                call(server, owner, "DELETE", "/accounts/" + a + "/connections/" + llm, null);
                call(server, owner, "DELETE", "/workspaces/ws-a/connections/" + builderOAuth, null);
                call(server, owner, "DELETE", "/workspaces/ws-a/connections/" + key, null);
            }
        } finally {
            System.setOut(out);
            System.setErr(err);
        }

        assertThat(renewedByResolves).as("both OAuth resolves renewed a token inside its lead first").isEqualTo(2);
        assertThat(credentials).as("the resolver hands out the planted credentials (the test is live)")
                .allSatisfy(c -> assertThat(c).contains(marker));
        assertThat(responses).as("HTTP responses").hasSizeGreaterThan(25).allSatisfy(r -> assertThat(r).doesNotContain(marker));
        String logged = logs.toString(StandardCharsets.UTF_8);
        assertThat(logged).as("log lines, metric lines included").contains("\"route\":").contains("\"_aws\":")
                .contains("\"outcome\":").doesNotContain(marker);
        List<String> events = bus.drain();
        assertThat(events).as("events on the bus").isNotEmpty().allSatisfy(e -> assertThat(e).doesNotContain(marker));
        List<Map<String, AttributeValue>> items = new ArrayList<>();
        Map<String, AttributeValue> start = null;
        do {
            Map<String, AttributeValue> from = start;
            var page = local.clients().dynamo().scan(b -> {
                b.tableName(local.stack().table());
                if (from != null) {
                    b.exclusiveStartKey(from);
                }
            });
            items.addAll(page.items());
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (start != null);
        assertThat(items).as("DynamoDB items (a test-only scan)").isNotEmpty()
                .allSatisfy(item -> assertThat(item.toString()).doesNotContain(marker));
    }

    /**
     * The popup's trip: our start, the provider's consent, our callback; then the opener completes with
     * the creator's token. Returns the connection id.
     */
    private String oauthConnect(DevServer server, String token, String sessions, String sessionJson) throws Exception {
        String start = JSON.readTree(sessionJson).path("authorizeUrl").asText();
        HttpResponse<String> toProvider = HTTP.send(HttpRequest.newBuilder(URI.create(start)).build(), HttpResponse.BodyHandlers.ofString());
        responses.add(toProvider.body() + toProvider.headers().map());
        HttpResponse<String> back = HTTP.send(HttpRequest.newBuilder(URI.create(toProvider.headers().firstValue("location").orElseThrow())).build(),
                HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> page = HTTP.send(HttpRequest.newBuilder(URI.create(back.headers().firstValue("location").orElseThrow())).build(),
                HttpResponse.BodyHandlers.ofString());
        responses.add(page.body() + page.headers().map());
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("var m=(\\{.*?\\});").matcher(page.body());
        assertThat(m.find()).as(page.body()).isTrue();
        JsonNode posted = JSON.readTree(m.group(1));
        String completed = call(server, token, "POST", sessions + posted.path("sessionId").asText() + "/complete",
                JSON.writeValueAsString(Map.of("completionCode", posted.path("completionCode").asText())));
        return field(completed, "connectionId");
    }

    private String call(DevServer server, String token, String method, String path, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server.baseUrl() + path)).header("Authorization", "Bearer " + token)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("content-type", "application/json");
        }
        HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        responses.add(response.body() + response.headers().map());
        return response.body();
    }

    private static String invoke(LambdaClient lambda, String function, String payload) {
        return lambda.invoke(b -> b.functionName(function).payload(SdkBytes.fromUtf8String(payload))).payload().asUtf8String();
    }

    private static String field(String json, String name) throws Exception {
        JsonNode node = JSON.readTree(json);
        assertThat(node.has(name)).as(json).isTrue();
        return node.path(name).asText();
    }

    /** Writes to the console and keeps a copy. */
    private static final class Tee extends OutputStream {
        private final OutputStream a;
        private final OutputStream b;

        Tee(OutputStream a, OutputStream b) {
            this.a = a;
            this.b = b;
        }

        @Override
        public void write(int c) throws java.io.IOException {
            a.write(c);
            synchronized (b) {
                b.write(c);
            }
        }

        @Override
        public void write(byte[] bytes, int off, int len) throws java.io.IOException {
            a.write(bytes, off, len);
            synchronized (b) {
                b.write(bytes, off, len);
            }
        }
    }
}
