package app.connections.local.devserver;

import static org.assertj.core.api.Assertions.assertThat;

import app.connections.local.aws.CognitoUsers;
import app.connections.local.aws.LocalAws;
import app.connections.local.aws.LocalAwsExtension;
import app.connections.local.aws.ProviderStandIn;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.lambda.LambdaClient;

/** Issue "Account scope: grants…": the story through the dev server, with real tokens and the Lambda Invoke API. */
@ExtendWith(LocalAwsExtension.class)
class DevServerGrantsTest {
    static final HttpClient HTTP = HttpClient.newHttpClient();
    static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void anAgencySharesOneOpenAiKeyWithTwoClientsAndMetersEachSeparately(LocalAws local) throws Exception {
        try (ProviderStandIn provider = new ProviderStandIn().accept("sk-agency-openai", "{\"data\": []}")) {
            Path catalog = Files.createTempFile("catalog", ".json");
            Files.writeString(catalog, provider.catalog());
            try (DevServer server = DevServer.start(local, 0, Map.of("CATALOG_FILE", catalog.toString()))) {
                String account = "acct-" + UUID.randomUUID().toString().substring(0, 8);
                CognitoUsers users = new CognitoUsers(local.stack());
                Map<String, String> tokens = new HashMap<>();
                for (String[] u : new String[][] {{"owner", "admin", ""}, {"acme", "member", "ws-acme:editor"},
                        {"globex", "member", "ws-globex:editor"}}) {
                    String email = u[0] + "-" + account + "@test.example";
                    users.ensure("BuilderUserPool", email, Map.of("custom:account_id", account, "custom:account_role", u[1],
                            "custom:workspace_roles", u[2]), "Test-only-Passw0rd!");
                    tokens.put(u[0], users.idToken("BuilderUserPool", email, "Test-only-Passw0rd!"));
                }
                for (String ws : new String[] {"ws-acme", "ws-globex"}) {
                    assertThat(send(server, tokens.get("owner"), "PUT", "/accounts/" + account + "/workspaces/" + ws,
                            "{\"name\":\"" + ws + "\"}").statusCode()).isEqualTo(200);
                }

                HttpResponse<String> key = send(server, tokens.get("owner"), "POST", "/accounts/" + account + "/connections",
                        "{\"app\":\"openai\",\"label\":\"Agency OpenAI\",\"credentials\":{\"apiKey\":\"sk-agency-openai\"}}");
                assertThat(key.statusCode()).as(key.body()).isEqualTo(201);
                String id = JSON.readTree(key.body()).path("id").asText();
                String grants = "/accounts/" + account + "/connections/" + id + "/grants";
                assertThat(send(server, tokens.get("owner"), "POST", grants, "{\"workspaceId\":\"ws-acme\",\"monthlySpendCapUsd\":2}").statusCode()).isEqualTo(201);
                assertThat(send(server, tokens.get("owner"), "POST", grants, "{\"workspaceId\":\"ws-globex\",\"monthlySpendCapUsd\":100}").statusCode()).isEqualTo(201);

                for (String[] who : new String[][] {{"acme", "ws-acme"}, {"globex", "ws-globex"}}) {
                    JsonNode picker = JSON.readTree(send(server, tokens.get(who[0]), "GET",
                            "/workspaces/" + who[1] + "/connections?app=openai", null).body());
                    assertThat(picker.path("connections").get(0).path("id").asText()).isEqualTo(id);
                    assertThat(picker.path("connections").get(0).path("scope").asText()).isEqualTo("ACCOUNT");
                }

                try (LambdaClient lambda = LambdaClient.builder().endpointOverride(URI.create(server.baseUrl())).build()) {
                    assertThat(resolve(lambda, id, account, "ws-acme", 1.5).path("status").asText()).isEqualTo("ok");
                    JsonNode denied = resolve(lambda, id, account, "ws-acme", 1.0);
                    assertThat(denied.path("status").asText()).isEqualTo("denied");
                    assertThat(denied.path("reason").asText()).isEqualTo("spend_cap_reached");
                    JsonNode other = resolve(lambda, id, account, "ws-globex", 1.0);
                    assertThat(other.path("status").asText()).isEqualTo("ok");
                    assertThat(other.path("credential").path("apiKey").asText()).isEqualTo("sk-agency-openai");
                    String settle = JSON.writeValueAsString(Map.of("reservationId", other.path("reservationId").asText(),
                            "actualCostUsd", 0.25));
                    assertThat(JSON.readTree(lambda.invoke(b -> b.functionName("ResolverFunction")
                            .payload(SdkBytes.fromUtf8String(settle))).payload().asUtf8String()).path("status").asText()).isEqualTo("settled");
                }

                JsonNode page = JSON.readTree(send(server, tokens.get("owner"), "GET", "/accounts/" + account + "/llm-keys", null).body());
                Map<String, JsonNode> byWorkspace = new HashMap<>();
                page.path("llmKeys").get(0).path("grants").forEach(g -> byWorkspace.put(g.path("workspaceId").asText(), g));
                assertThat(byWorkspace.get("ws-globex").path("monthToDateSpendUsd").decimalValue()).isEqualByComparingTo("0.25");
                assertThat(byWorkspace.get("ws-acme").path("remainingUsd").decimalValue()).isEqualByComparingTo("0.5");
            }
        }
    }

    static JsonNode resolve(LambdaClient lambda, String id, String account, String ws, double estimate) throws Exception {
        String input = JSON.writeValueAsString(Map.of("connectionId", id, "accountId", account, "workspaceId", ws,
                "runId", "run-" + UUID.randomUUID(), "stepId", "llm", "estimatedCostUsd", estimate));
        var response = lambda.invoke(b -> b.functionName("ResolverFunction").payload(SdkBytes.fromUtf8String(input)));
        assertThat(response.functionError()).as(response.payload().asUtf8String()).isNull();
        return JSON.readTree(response.payload().asUtf8String());
    }

    static HttpResponse<String> send(DevServer server, String token, String method, String path, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server.baseUrl() + path))
                .header("Authorization", "Bearer " + token)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("content-type", "application/json");
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
