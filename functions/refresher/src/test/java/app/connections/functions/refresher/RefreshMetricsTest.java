package app.connections.functions.refresher;

import static org.assertj.core.api.Assertions.assertThat;

import app.connections.api.lambda.LocalLambdaContext;
import app.connections.connection.Connection;
import app.connections.local.aws.LocalAws;
import app.connections.local.aws.LocalAwsExtension;
import app.connections.local.aws.TokenEndpointStandIn;
import app.connections.testing.Captured;
import app.connections.testing.OAuthWorld;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** A scheduled run's EMF metrics and log lines, read back from standard output as CloudWatch would. */
@ExtendWith(LocalAwsExtension.class)
class RefreshMetricsTest {
    private OAuthWorld world;
    private RefresherHandler handler;

    @BeforeEach
    void setUp(LocalAws local) throws Exception {
        world = new OAuthWorld(local, "RefresherFunction", Map.of("PROVIDER_TIMEOUT_MS", "2000"));
        handler = new RefresherHandler(world.services.refreshRun());
    }

    @AfterEach
    void tearDown() {
        world.close();
    }

    @Test
    void aRunCountsRefreshesByOutcomeTimesTheTokenEndpointAndCountsInvalidClient() throws Exception {
        world.oauthConnection("acct-a", Duration.ofMinutes(5));
        world.oauthConnection("acct-b", Duration.ofMinutes(5));
        Connection rejected = world.oauthConnection("acct-c", Duration.ofMinutes(5));

        world.provider.failNext(new TokenEndpointStandIn.Failure(401, "{\"error\":\"invalid_client\"}", null, false));
        Captured run = Captured.during(() -> handler.handleRequest(Map.of("id", "schedule-event-1", "source", "aws.events"),
                LocalLambdaContext.of("RefresherFunction", 120_000)));

        List<Captured.DataPoint> refreshes = run.metric("Refreshes").stream()
                .filter(p -> world.app.equals(p.dimension("app"))).toList();
        assertThat(refreshes).allSatisfy(p -> {
            assertThat(p.namespace()).isEqualTo("Connections");
            assertThat(p.dimensionSets()).containsExactly(List.of("Service"), List.of("Service", "app", "outcome"));
            assertThat(p.dimension("Service")).isEqualTo("connections");
            assertThat(p.unit()).isEqualTo("Count");
        });
        assertThat(refreshes.stream().filter(p -> "refreshed".equals(p.dimension("outcome"))).mapToDouble(p -> p.sum("Refreshes")).sum())
                .isEqualTo(2);
        assertThat(refreshes.stream().filter(p -> "invalid_client".equals(p.dimension("outcome"))).mapToDouble(p -> p.sum("Refreshes")).sum())
                .isEqualTo(1);
        assertThat(run.metric("RefreshFailures")).anySatisfy(p -> {
            assertThat(p.dimension("app")).isEqualTo(world.app);
            assertThat(p.dimension("outcome")).isEqualTo("invalid_client");
        });
        assertThat(run.metric("InvalidClient")).anySatisfy(p -> {
            assertThat(p.dimension("app")).isEqualTo(world.app);
            assertThat(p.dimensionSets()).containsExactly(List.of("Service"), List.of("Service", "app"));
        });
        assertThat(run.metric("TokenEndpointLatency")).filteredOn(p -> world.app.equals(p.dimension("app"))).singleElement()
                .satisfies(p -> {
                    assertThat(p.unit()).isEqualTo("Milliseconds");
                    assertThat(p.line().path("TokenEndpointLatency")).hasSize(3); // one value per token request
                });
        assertThat(run.metric("PendingRevocations")).singleElement()
                .satisfies(p -> assertThat(p.dimensionSets()).containsExactly(List.of("Service")));
        assertThat(run.metric("PendingRevocationAge")).singleElement().satisfies(p -> assertThat(p.unit()).isEqualTo("Seconds"));

        // no dimension is an id; the log lines of the run carry the schedule event's id as correlation id
        for (JsonNode line : run.emf()) {
            assertThat(line.toString()).doesNotContain(rejected.id()).doesNotContain(world.account);
        }
        List<JsonNode> refreshLines = run.logs().stream().filter(l -> world.app.equals(l.path("app").asText())).toList();
        assertThat(refreshLines).hasSize(3).allSatisfy(l -> {
            assertThat(l.path("correlation_id").asText()).isEqualTo("schedule-event-1");
            assertThat(l.path("function_name").asText()).isEqualTo("RefresherFunction");
            assertThat(l.has("connectionId")).isTrue();
            assertThat(l.has("outcome")).isTrue();
        });
        assertThat(run.logs()).anySatisfy(l -> {
            assertThat(l.path("message").asText()).isEqualTo("refresh run");
            assertThat(l.has("refreshed")).isTrue();
        });
    }
}
