package app.connections.local.devserver;

import static org.assertj.core.api.Assertions.assertThat;

import app.connections.connection.Connection;
import app.connections.local.aws.LocalAws;
import app.connections.local.aws.LocalAwsExtension;
import app.connections.platform.Json;
import app.connections.connection.lifecycle.PendingRevocations;
import app.connections.connection.lifecycle.aws.DynamoPendingRevocations;
import app.connections.testing.OAuthWorld;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.lambda.LambdaClient;

/**
 * Refresh in the dev stack, as deployed: resolves and scheduled runs through the dev server's Lambda
 * Invoke API, each function with its template timeout and memory.
 */
@ExtendWith(LocalAwsExtension.class)
class DevServerRefreshTest {
    private OAuthWorld world;
    private DevServer server;
    private LambdaClient lambda;

    @BeforeEach
    void start(LocalAws local) throws Exception {
        world = new OAuthWorld(local, "ResolverFunction", Map.of());
        server = DevServer.start(local, 0, Map.of("CATALOG_FILE", world.config.catalogFile().orElseThrow().toString()));
        lambda = LambdaClient.builder().endpointOverride(URI.create(server.baseUrl())).build();
    }

    @AfterEach
    void stop() {
        lambda.close();
        server.close();
        world.close();
    }

    private JsonNode invoke(String function, String payload) throws Exception {
        String answer = lambda.invoke(b -> b.functionName(function).payload(SdkBytes.fromUtf8String(payload))).payload().asUtf8String();
        return Json.MAPPER.readTree(answer);
    }

    private JsonNode resolve(Connection c) throws Exception {
        return invoke("ResolverFunction", Json.MAPPER.writeValueAsString(Map.of("connectionId", c.id(), "accountId", world.account,
                "workspaceId", world.workspace, "runId", "run-1", "stepId", "step-1")));
    }

    @Test
    void aConnectionWhoseProviderIssuesFiveMinuteTokensResolvesAtOnceWithOneTokenRequest() throws Exception {
        world.provider.expiresIn(300);
        Connection c = world.oauthConnection("acct-five-minutes", Optional.of(Duration.ofMinutes(5)), Duration.ofMinutes(3));

        long started = System.nanoTime();
        JsonNode first = resolve(c);
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        JsonNode second = resolve(c);

        assertThat(first.path("status").asText()).as(first.toString()).isEqualTo("ok");
        assertThat(took).isLessThan(Duration.ofSeconds(2));
        assertThat(world.provider.refreshCalls()).as("the token inside its lead was renewed once, not in a loop").isEqualTo(1);
        assertThat(first.path("credential").path("accessToken").asText()).isEqualTo(world.tokens(c).get("accessToken"));
        assertThat(Instant.parse(first.path("credential").path("expiresAt").asText())).isAfter(Instant.now().plusSeconds(240));
        assertThat(second.path("credential").path("accessToken").asText()).isEqualTo(first.path("credential").path("accessToken").asText());
        assertThat(world.provider.refreshCalls()).isEqualTo(1);
    }

    @Test
    void theRefresherInvokedLocallyHasTheTemplatesFiveMinutesAndRefreshesADueToken() throws Exception {
        Connection c = world.oauthConnection("acct-due", Duration.ofMinutes(5));
        String event = Files.readString(world.local.root().resolve("events/refresher/scheduled-event.json"));

        JsonNode summary = invoke("RefresherFunction", event);

        assertThat(summary.path("stoppedEarly").asBoolean()).as(summary.toString()).isFalse();
        assertThat(summary.path("considered").asInt()).isPositive();
        assertThat(summary.path("refreshed").asInt()).isPositive();
        assertThat(world.reload(c).tokenSchedule().orElseThrow().refreshedAt()).isPresent();

        // the run's metrics, readable locally: totals per function, metric and dimensions
        String metrics = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                URI.create(server.baseUrl() + "/local/metrics")).build(), java.net.http.HttpResponse.BodyHandlers.ofString()).body();
        assertThat(metrics).contains("RefresherFunction Refreshes{app=" + world.app + ",outcome=refreshed}: 1 |")
                .contains("RefresherFunction TokenEndpointLatency{app=" + world.app + "}:")
                .contains("RefresherFunction PendingRevocations:");
    }

    @Test
    void aProviderRevocationThatGotA503IsRetriedByTheNextLocalRun() throws Exception {
        Connection c = world.oauthConnection("acct-revoked-later", Duration.ofHours(2));
        String refreshToken = world.tokens(c).get("refreshToken");
        world.provider.failRevocations(1);
        world.services.revocations().revoke(c, "revoked_by_user");
        assertThat(world.provider.wasRevoked(refreshToken)).isFalse();
        // the first retry is due a minute later: let that minute pass
        var pending = new DynamoPendingRevocations(world.local.clients().dynamo(), world.config.tableName());
        pending.save(pending.find(c.id()).orElseThrow().failed(Instant.now()));

        invoke("RefresherFunction", Files.readString(world.local.root().resolve("events/refresher/scheduled-event.json")));

        assertThat(world.provider.wasRevoked(refreshToken)).isTrue();
    }
}
