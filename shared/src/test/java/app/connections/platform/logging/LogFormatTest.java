package app.connections.platform.logging;

import static org.assertj.core.api.Assertions.assertThat;

import app.connections.api.HttpResponse;
import app.connections.api.Routes;
import app.connections.api.lambda.HttpApi;
import app.connections.api.lambda.LambdaLogContext;
import app.connections.api.lambda.LocalLambdaContext;
import app.connections.testing.Captured;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** The JSON log lines: Powertools logging's fields, structured fields as keys, the correlation id. */
class LogFormatTest {

    private static JsonNode onlyLog(Captured c) {
        assertThat(c.logs()).hasSize(1);
        return c.logs().get(0);
    }

    @Test
    void aRequestLineCarriesRouteAndStatusAsKeysAndTheApiRequestIdAsCorrelationId() throws Exception {
        APIGatewayV2HTTPEvent event = APIGatewayV2HTTPEvent.builder().withRouteKey("GET /x").withRawPath("/x")
                .withRequestContext(APIGatewayV2HTTPEvent.RequestContext.builder().withRequestId("api-req-7").build()).build();
        Routes routes = Routes.of(Map.of("GET /x", r -> HttpResponse.json(200, Map.of("ok", true))));

        JsonNode line = onlyLog(Captured.during(() -> HttpApi.handle(event,
                new LocalLambdaContext("ConnectionsFunction", "lambda-req-1", System.currentTimeMillis() + 1_000), routes)));

        assertThat(line.path("level").asText()).isEqualTo("INFO");
        assertThat(line.path("message").asText()).isEqualTo("request");
        assertThat(line.path("route").asText()).isEqualTo("GET /x");
        assertThat(line.path("status").asInt()).isEqualTo(200);
        assertThat(line.path("correlation_id").asText()).isEqualTo("api-req-7");
        assertThat(line.path("function_name").asText()).isEqualTo("ConnectionsFunction");
        assertThat(line.path("function_request_id").asText()).isEqualTo("lambda-req-1");
        assertThat(line.path("function_memory_size").asInt()).isEqualTo(1024);
        assertThat(line.path("service").asText()).isEqualTo("connections");
        assertThat(line.path("cold_start").isBoolean()).isTrue();
        assertThat(line.has("timestamp")).isTrue();
    }

    @Test
    void everyStructuredFieldIsItsOwnJsonKey() throws Exception {
        JsonNode line = onlyLog(Captured.during(() -> LambdaLogContext.with(
                new LocalLambdaContext("ResolverFunction", "req-2", System.currentTimeMillis() + 1_000), "run-42", () -> {
                    LoggerFactory.getLogger("app.connections.Test").atInfo()
                            .addKeyValue(LogFields.CONNECTION_ID, "c-1").addKeyValue(LogFields.APP, "slack")
                            .addKeyValue(LogFields.ACCOUNT_ID, "acct-1").addKeyValue(LogFields.WORKSPACE_ID, "ws-1")
                            .addKeyValue(LogFields.RUN_ID, "run-42").addKeyValue(LogFields.STEP_ID, "step-3")
                            .addKeyValue(LogFields.OUTCOME, "ok").addKeyValue(LogFields.ROUTE, "GET /y")
                            .addKeyValue(LogFields.STATUS, 404).log("resolve");
                    return null;
                })));

        assertThat(line.path("message").asText()).isEqualTo("resolve");
        for (String key : new String[] {"connectionId", "app", "accountId", "workspaceId", "runId", "stepId", "outcome", "route"}) {
            assertThat(line.has(key)).as(key).isTrue();
            assertThat(line.path("message").asText()).doesNotContain(key);
        }
        assertThat(line.path("status").asInt()).isEqualTo(404);
        assertThat(line.path("correlation_id").asText()).isEqualTo("run-42");
    }

    @Test
    void theCorrelationIdReachesTheThreadsAnInvocationStarts() throws Exception {
        Captured c = Captured.during(() -> LambdaLogContext.with(
                new LocalLambdaContext("RefresherFunction", "req-3", System.currentTimeMillis() + 1_000), "event-9", () -> {
                    Thread worker = Thread.ofVirtual().unstarted(LogFields.carried(() ->
                            LoggerFactory.getLogger("app.connections.Test").info("from a worker")));
                    worker.start();
                    try {
                        worker.join();
                    } catch (InterruptedException e) {
                        throw new IllegalStateException(e);
                    }
                    return null;
                }));

        assertThat(onlyLog(c).path("correlation_id").asText()).isEqualTo("event-9");
        assertThat(onlyLog(c).path("function_name").asText()).isEqualTo("RefresherFunction");
    }

    @Test
    void debugIsLoggedForTheSampledShareOfInvocationsOnly() throws Exception {
        org.slf4j.Logger log = LoggerFactory.getLogger("app.connections.Test");
        LambdaLogContext.configure(new app.connections.platform.Observability("INFO", "connections", 1.0, "Connections"));
        try {
            Captured sampled = Captured.during(() -> LambdaLogContext.with(
                    new LocalLambdaContext("ResolverFunction", "req-4", System.currentTimeMillis() + 1_000), "run-5", () -> {
                        log.debug("detail of a sampled invocation");
                        return null;
                    }));
            assertThat(sampled.logs()).anySatisfy(l -> {
                assertThat(l.path("message").asText()).isEqualTo("detail of a sampled invocation");
                assertThat(l.path("sampling_rate").asDouble()).isEqualTo(1.0);
            });
        } finally {
            LambdaLogContext.configure(app.connections.platform.Observability.defaults());
        }
        Captured after = Captured.during(() -> {
            log.debug("detail outside any invocation");
            return null;
        });
        assertThat(after.lines).as("the sampled invocation's DEBUG ended with it").isEmpty();
    }

    @Test
    void anErrorCarriesItsClassMessageAndStack() throws Exception {
        JsonNode line = onlyLog(Captured.during(() -> {
            LoggerFactory.getLogger("app.connections.Test").error("request failed", new IllegalStateException("boom"));
            return null;
        }));

        assertThat(line.path("level").asText()).isEqualTo("ERROR");
        assertThat(line.path("error").path("name").asText()).isEqualTo("java.lang.IllegalStateException");
        assertThat(line.path("error").path("message").asText()).isEqualTo("boom");
        assertThat(line.path("error").path("stack").asText()).contains("LogFormatTest");
    }

    @Test
    void theSdksDebugChatterIsNotWritten() throws Exception {
        Captured c = Captured.during(() -> {
            LoggerFactory.getLogger("software.amazon.awssdk.request").info("sending request");
            LoggerFactory.getLogger("app.connections.Test").debug("detail");
            return null;
        });
        assertThat(c.lines).isEmpty();
    }
}
