package app.connections.local.devserver;

import static org.assertj.core.api.Assertions.assertThat;

import app.connections.local.aws.CognitoUsers;
import app.connections.local.aws.LocalAws;
import app.connections.local.aws.LocalAwsExtension;
import app.connections.local.aws.ProviderStandIn;
import app.connections.local.aws.TokenEndpointStandIn;
import app.connections.oauth.aws.SecretsManagerOAuthClients;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Schemathesis (PyPI, in the project venv) fuzzes every operation of docs/openapi.yaml against the
 * dev server with real user-pool tokens: an account admin's builder-pool token for builder routes, a
 * portal client's portal-pool token for portal routes (schemathesis picks by each operation's
 * security scheme). A bounded, seeded number of cases per operation in each phase (examples,
 * coverage, fuzzing, stateful sequences); the run fails on any 5xx, any response the document does
 * not describe (status, content type, headers, body schema), a schema-violating request that is
 * accepted, or a route that serves a request without a valid token.
 *
 * <p>Path parameters, app keys and the API key are drawn mostly from the caller's real account,
 * workspaces, connections and catalog, so generated requests get past the tenancy checks into the
 * parsing and the use cases; the rest are generated, which exercises the not-found paths.
 *
 * <p>Two checks are left out on purpose: {@code unsupported_method} (an HTTP API answers 404, not
 * 405, for a method it has no route for) and {@code positive_data_acceptance} (a schema-valid
 * request may still be refused: the app's own fields and the key check at the provider are not in
 * the schema). {@code use_after_free} too: revoking keeps the record (REVOKED), and reading it
 * afterwards is the documented behaviour.
 */
@ExtendWith(LocalAwsExtension.class)
class ApiFuzzTest {
    static final String PASSWORD = "Test-only-Passw0rd!";
    static final HttpClient HTTP = HttpClient.newHttpClient();
    static final ObjectMapper JSON = new ObjectMapper();
    /** Generated cases per operation and phase: enough to find something, bounded to keep CI short. */
    static final int MAX_EXAMPLES = 25;
    static final long SEED = 20261108L;
    static final List<String> CHECKS = List.of("not_a_server_error", "status_code_conformance", "content_type_conformance",
            "response_headers_conformance", "response_schema_conformance", "negative_data_rejection", "ignored_auth",
            "ensure_resource_availability");

    @Test
    void everyOperationAnswersGeneratedRequestsWithoutServerErrorsAndAsDocumented(LocalAws local) throws Exception {
        String key = "fuzz-key-" + UUID.randomUUID();
        String app = "fuzz-" + UUID.randomUUID().toString().substring(0, 8);
        try (ProviderStandIn keys = new ProviderStandIn().accept(key, "{\"id\": 4242}");
             TokenEndpointStandIn oauth = new TokenEndpointStandIn()) {
            Path catalog = Files.createTempFile("catalog", ".json");
            var apps = JSON.createArrayNode();
            JSON.readTree(keys.catalog()).path("apps").forEach(apps::add);
            apps.add(JSON.readTree(oauth.catalogApp(app)));
            Files.writeString(catalog, JSON.writeValueAsString(Map.of("apps", apps)));
            String prefix = local.environmentOf("OAuthFunction").get("SECRET_NAME_PREFIX");
            local.clients().secrets().createSecret(b -> b.name(SecretsManagerOAuthClients.secretName(prefix, app))
                    .secretString("{\"clientId\":\"fuzz\",\"clientSecret\":\"fuzz-secret\"}"));
            try (DevServer server = DevServer.start(local, 0, Map.of("CATALOG_FILE", catalog.toString()))) {
                String account = "acct-" + UUID.randomUUID().toString().substring(0, 8);
                CognitoUsers users = new CognitoUsers(local.stack());
                String admin = "fuzz-admin-" + account + "@test.example";
                users.ensure("BuilderUserPool", admin, Map.of("custom:account_id", account, "custom:account_role", "admin",
                        "custom:workspace_roles", ""), PASSWORD);
                String builderToken = users.idToken("BuilderUserPool", admin, PASSWORD);
                String client = "fuzz-client-" + account + "@test.example";
                users.ensure("PortalUserPool", client, Map.of("custom:account_id", account, "custom:workspace_id", "ws-a"), PASSWORD);
                String portalToken = users.idToken("PortalUserPool", client, PASSWORD);

                // What the generated requests draw their path parameters and app keys from: the
                // caller's workspaces, an API-key connection in each scope, an OAuth connection the
                // portal client authorized, and an open connect session.
                for (String ws : List.of("ws-a", "ws-b")) {
                    send(server, builderToken, "PUT", "/accounts/" + account + "/workspaces/" + ws, "{\"name\":\"" + ws + "\"}", 200);
                }
                List<String> connections = new ArrayList<>();
                connections.add(field(send(server, builderToken, "POST", "/workspaces/ws-a/connections",
                        "{\"app\":\"freshdesk\",\"label\":\"Desk\",\"credentials\":{\"apiKey\":\"" + key + "\"},\"fields\":{\"subdomain\":\"acme\"}}", 201), "id"));
                connections.add(field(send(server, builderToken, "POST", "/accounts/" + account + "/connections",
                        "{\"app\":\"openai\",\"label\":\"Key\",\"credentials\":{\"apiKey\":\"" + key + "\"}}", 201), "id"));
                connections.add(oauthConnect(server, portalToken, field(send(server, portalToken, "POST", "/portal/connect-sessions",
                        "{\"app\":\"" + app + "\"}", 201), "authorizeUrl")));
                String session = field(send(server, builderToken, "POST", "/workspaces/ws-a/connect-sessions",
                        "{\"app\":\"" + app + "\"}", 201), "sessionId");

                Path dir = local.root().resolve("local/devserver/target/schemathesis");
                Path reports = dir.resolve("report");
                deleteRecursively(dir);
                Files.createDirectories(dir);
                Path config = dir.resolve("schemathesis.toml");
                Files.writeString(config, config(account, List.of("ws-a", "ws-b"), connections, List.of("freshdesk", "openai", app), session, key));
                Path output = dir.resolve("output.txt");

                List<String> command = List.of(local.root().resolve(".venv/bin/schemathesis").toString(),
                        "--config-file", config.toString(), "run", local.root().resolve("docs/openapi.yaml").toString(),
                        "--url", server.baseUrl(), "--checks", String.join(",", CHECKS),
                        "--max-examples", String.valueOf(MAX_EXAMPLES), "--seed", String.valueOf(SEED),
                        // one worker: hypothesis' lambda-source parsing is not thread-safe on Python 3.11
                        // (schemathesis reported "AST constructor recursion depth mismatch" with two)
                        "--workers", "1", "--max-redirects", "0", "--generation-database", "none", "--no-color",
                        "--report", "junit,ndjson", "--report-dir", reports.toString());
                ProcessBuilder process = new ProcessBuilder(command).directory(dir.toFile())
                        .redirectErrorStream(true).redirectOutput(output.toFile());
                process.environment().put("BUILDER_TOKEN", builderToken);
                process.environment().put("PORTAL_TOKEN", portalToken);
                Instant started = Instant.now();
                Process run = process.start();
                boolean finished = run.waitFor(5, TimeUnit.MINUTES);
                if (!finished) {
                    run.destroyForcibly();
                }
                String printed = Files.readString(output, StandardCharsets.UTF_8);
                long generated = count(printed, "(\\d+) generated");
                System.out.println("schemathesis: " + generated + " cases in " + Duration.between(started, Instant.now()).toSeconds()
                        + " s (output and reports in " + dir + ")");

                assertThat(finished).as("schemathesis finished within 5 minutes:\n" + printed).isTrue();
                assertThat(run.exitValue()).as("schemathesis found failures:\n" + printed).isZero();

                // The run reached every route as the caller it meant: not just generated and refused at the door.
                Map<String, Set<Integer>> statuses = statusesByOperation(reports);
                List<String> routes = new ArrayList<>();
                local.template().functions().forEach(f -> f.routes().forEach(r -> routes.add(r.routeKey())));
                assertThat(routes).as("operations schemathesis sent requests to").isSubsetOf(statuses.keySet());
                assertThat(routes).as("every route answered some generated request other than 401 (the tokens worked)")
                        .allSatisfy(route -> assertThat(statuses.get(route)).as(route).anyMatch(status -> status != 401));
                assertThat(generated).as("generated cases").isGreaterThanOrEqualTo((long) routes.size() * MAX_EXAMPLES);
            }
        }
    }

    /** Every status each operation ("GET /apps") answered, from schemathesis' NDJSON event report. */
    static Map<String, Set<Integer>> statusesByOperation(Path reports) throws Exception {
        Path ndjson;
        try (var files = Files.list(reports)) {
            ndjson = files.filter(f -> f.getFileName().toString().endsWith(".ndjson")).findFirst().orElseThrow();
        }
        Map<String, Set<Integer>> statuses = new TreeMap<>();
        for (String line : Files.readAllLines(ndjson, StandardCharsets.UTF_8)) {
            JsonNode recorder = JSON.readTree(line).path("ScenarioFinished").path("recorder");
            recorder.path("interactions").fields().forEachRemaining(interaction -> {
                JsonNode request = recorder.path("cases").path(interaction.getKey()).path("value");
                JsonNode status = interaction.getValue().path("response").path("status_code");
                if (status.isInt()) {
                    statuses.computeIfAbsent(request.path("method").asText() + " " + request.path("path").asText(), k -> new TreeSet<>())
                            .add(status.asInt());
                }
            });
        }
        return statuses;
    }

    private static long count(String printed, String regex) {
        Matcher m = Pattern.compile(regex).matcher(printed);
        return m.find() ? Long.parseLong(m.group(1)) : 0;
    }

    private static void deleteRecursively(Path dir) throws Exception {
        if (Files.exists(dir)) {
            try (var paths = Files.walk(dir)) {
                for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }

    /**
     * The popup's trip for a portal connect session: our start, the provider's consent, our callback;
     * then the client's page completes it with the one-time code. Returns the connection id.
     */
    private static String oauthConnect(DevServer server, String portalToken, String authorizeUrl) throws Exception {
        HttpResponse<String> toProvider = HTTP.send(HttpRequest.newBuilder(URI.create(authorizeUrl)).build(), HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> back = HTTP.send(HttpRequest.newBuilder(URI.create(toProvider.headers().firstValue("location").orElseThrow())).build(),
                HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> page = HTTP.send(HttpRequest.newBuilder(URI.create(back.headers().firstValue("location").orElseThrow())).build(),
                HttpResponse.BodyHandlers.ofString());
        Matcher m = Pattern.compile("\"sessionId\":\"([^\"]+)\",\"completionCode\":\"([^\"]+)\"").matcher(page.body());
        assertThat(m.find()).as(page.body()).isTrue();
        return field(send(server, portalToken, "POST", "/portal/connect-sessions/" + m.group(1) + "/complete",
                "{\"completionCode\":\"" + m.group(2) + "\"}", 200), "connectionId");
    }

    /** The schemathesis.toml of this run: the two pools' tokens and the caller's own ids for path parameters. */
    static String config(String account, List<String> workspaces, List<String> connections, List<String> apps, String session,
                         String acceptedKey) {
        return """
                [cache]
                enabled = false

                [auth.openapi.builderPool]
                bearer = "${BUILDER_TOKEN}"

                [auth.openapi.portalPool]
                bearer = "${PORTAL_TOKEN}"

                [dictionaries.accounts]
                values = [%s]

                [dictionaries.workspaces]
                values = [%s]

                [dictionaries.connections]
                values = [%s]

                [dictionaries.apps]
                values = [%s]

                [dictionaries.sessions]
                values = [%s]

                [dictionaries.keys]
                values = [%s]

                [dictionaries.subdomains]
                values = ["acme"]

                [parameters]
                "path.accountId" = { dictionary = "accounts", probability = 0.8 }
                "path.workspaceId" = { dictionary = "workspaces", probability = 0.8 }
                "path.connectionId" = { dictionary = "connections", probability = 0.6 }
                "body.app" = { dictionary = "apps", probability = 0.8 }
                "query.app" = { dictionary = "apps", probability = 0.5 }
                "query.session" = { dictionary = "sessions", probability = 0.5 }
                "body.credentials.apiKey" = { dictionary = "keys", probability = 0.5 }
                "body.fields.subdomain" = { dictionary = "subdomains", probability = 0.5 }
                """.formatted(quoted(List.of(account)), quoted(workspaces), quoted(connections), quoted(apps), quoted(List.of(session)),
                quoted(List.of(acceptedKey)));
    }

    private static String quoted(List<String> values) {
        return values.stream().map(v -> "\"" + v + "\"").collect(Collectors.joining(", "));
    }

    private static String field(HttpResponse<String> response, String name) throws Exception {
        String value = JSON.readTree(response.body()).path(name).asText();
        assertThat(value).as(response.body()).isNotEmpty();
        return value;
    }

    private static HttpResponse<String> send(DevServer server, String token, String method, String path, String body, int expected)
            throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + path))
                .header("Authorization", "Bearer " + token).header("content-type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(method + " " + path + ": " + response.body()).isEqualTo(expected);
        return response;
    }
}
