package app.connections.platform.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import app.connections.platform.Metric;
import app.connections.platform.Observability;
import app.connections.testing.Captured;
import java.util.List;
import org.junit.jupiter.api.Test;

class EmfMetricsTest {
    private final EmfMetrics metrics = new EmfMetrics(Observability.defaults());

    @Test
    void anInvocationWritesOneLinePerDimensionValuesWithCountsSummedAndTheServiceRollup() throws Exception {
        Captured c = Captured.during(() -> EmfMetrics.invocation(false, "ConnectionsFunction", () -> {
            metrics.count(Metric.API_CLIENT_ERRORS, "GET /workspaces/{workspaceId}/connections");
            metrics.count(Metric.API_CLIENT_ERRORS, "GET /workspaces/{workspaceId}/connections");
            metrics.count(Metric.API_SERVER_ERRORS, "POST /apps");
            return null;
        }));

        assertThat(c.emf()).hasSize(2);
        assertThat(c.metric("ApiClientErrors")).singleElement().satisfies(p -> {
            assertThat(p.dimension("route")).isEqualTo("GET:/workspaces/{workspaceId}/connections"); // no whitespace in CloudWatch dimensions
            assertThat(p.sum("ApiClientErrors")).isEqualTo(2);
            assertThat(p.dimensionSets()).containsExactly(List.of("Service"), List.of("Service", "route"));
            assertThat(p.namespace()).isEqualTo("Connections");
        });
    }

    @Test
    void primingSerializesButWritesNothing() throws Exception {
        Captured c = Captured.during(() -> EmfMetrics.invocation(true, "priming", () -> {
            metrics.count(Metric.RESOLVES, "ok");
            return null;
        }));
        assertThat(c.lines).isEmpty();
    }

    @Test
    void dimensionValuesAreWhatCloudWatchAccepts() {
        assertThat(EmfMetrics.dimensionValue("GET /apps")).isEqualTo("GET:/apps");
        assertThat(EmfMetrics.dimensionValue(" ")).isEqualTo("none");
        assertThat(EmfMetrics.dimensionValue("ünï")).isEqualTo("?n?");
        assertThat(EmfMetrics.dimensionValue(":x")).isEqualTo("?x");
    }
}
