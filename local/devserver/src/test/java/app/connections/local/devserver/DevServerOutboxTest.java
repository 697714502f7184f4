package app.connections.local.devserver;

import static org.assertj.core.api.Assertions.assertThat;

import app.connections.local.aws.BusTap;
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
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The dev server delivers the outbox as the deployed stack does: an event written by a real HTTP
 * action reaches the bus through the table's stream, polled as Lambda's event source mapping
 * would, and the OutboxFunction's own handler — with nobody pumping it but the server.
 */
@ExtendWith(LocalAwsExtension.class)
class DevServerOutboxTest {
    static final String PASSWORD = "Test-only-Passw0rd!";
    static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aConnectionCreatedOverHttpReachesTheBusThroughThePolledStreamAndTheOutboxFunction(LocalAws local) throws Exception {
        try (ProviderStandIn provider = new ProviderStandIn().accept("fd-key-outbox", "{\"id\": 91}")) {
            Path catalog = Files.createTempFile("catalog", ".json");
            Files.writeString(catalog, provider.catalog());
            String account = "acct-" + UUID.randomUUID().toString().substring(0, 8);
            String email = "admin-" + account + "@test.example";
            CognitoUsers users = new CognitoUsers(local.stack());
            users.ensure("BuilderUserPool", email, Map.of("custom:account_id", account, "custom:account_role", "admin",
                    "custom:workspace_roles", "ws-acme:admin"), PASSWORD);
            String token = users.idToken("BuilderUserPool", email, PASSWORD);
            BusTap tap = BusTap.on(local.stack(), "{\"source\":[\"app.connections\"],\"detail\":{\"accountId\":[\"" + account + "\"]}}");
            try (DevServer server = DevServer.start(local, 0, Map.of("CATALOG_FILE", catalog.toString()))) {
                HttpClient http = HttpClient.newHttpClient();
                assertThat(http.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + "/accounts/" + account + "/workspaces/ws-acme"))
                        .header("Authorization", "Bearer " + token).header("content-type", "application/json")
                        .PUT(HttpRequest.BodyPublishers.ofString("{\"name\":\"Acme\"}")).build(), HttpResponse.BodyHandlers.ofString())
                        .statusCode()).isEqualTo(200);
                HttpResponse<String> created = http.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + "/workspaces/ws-acme/connections"))
                        .header("Authorization", "Bearer " + token).header("content-type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"app\":\"freshdesk\",\"label\":\"Acme desk\","
                                + "\"credentials\":{\"apiKey\":\"fd-key-outbox\"},\"fields\":{\"subdomain\":\"acme\"}}")).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
                String id = JSON.readTree(created.body()).path("id").asText();

                List<String> arrived = tap.arriving(Duration.ofSeconds(10)); // the server's own stream polling

                assertThat(arrived).singleElement().satisfies(e -> {
                    JsonNode event = JSON.readTree(e);
                    assertThat(event.path("detail-type").asText()).isEqualTo("Connection Created");
                    assertThat(event.path("detail").path("connectionId").asText()).isEqualTo(id);
                    assertThat(event.path("detail").path("eventId").asText()).isEqualTo(id + ":v1:connection-created");
                });
            }
        }
    }
}
