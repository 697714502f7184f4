package app.connections.platform.logging;

import static org.assertj.core.api.Assertions.assertThat;

import app.connections.api.lambda.LambdaLogContext;
import app.connections.api.lambda.LocalLambdaContext;
import app.connections.platform.Json;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class JsonLoggerTest {

    private static JsonNode logged(Runnable action) throws Exception {
        PrintStream console = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            action.run();
        } finally {
            System.setOut(console);
        }
        String[] lines = out.toString(StandardCharsets.UTF_8).strip().split("\n");
        assertThat(lines).hasSize(1);
        return Json.MAPPER.readTree(lines[0]);
    }

    @Test
    void aRequestLineIsOneJsonObjectWithTheInvocationsFields() throws Exception {
        JsonNode line = logged(() -> LambdaLogContext.with(new LocalLambdaContext("ConnectionsFunction", "req-1",
                System.currentTimeMillis() + 1_000), () -> {
                    LoggerFactory.getLogger("app.connections.Test").info("request route={} status={}", "GET /x", 200);
                    return null;
                }));

        assertThat(line.path("level").asText()).isEqualTo("INFO");
        assertThat(line.path("message").asText()).isEqualTo("request route=GET /x status=200");
        assertThat(line.path("function_name").asText()).isEqualTo("ConnectionsFunction");
        assertThat(line.path("function_request_id").asText()).isEqualTo("req-1");
        assertThat(line.path("service").asText()).isEqualTo("connections");
        assertThat(line.has("timestamp")).isTrue();
    }

    @Test
    void anErrorCarriesItsClassMessageAndStack() throws Exception {
        JsonNode line = logged(() -> LoggerFactory.getLogger("app.connections.Test")
                .error("request failed", new IllegalStateException("boom")));

        assertThat(line.path("level").asText()).isEqualTo("ERROR");
        assertThat(line.path("error").path("name").asText()).isEqualTo("java.lang.IllegalStateException");
        assertThat(line.path("error").path("message").asText()).isEqualTo("boom");
        assertThat(line.path("error").path("stack").asText()).contains("JsonLoggerTest");
    }

    @Test
    void theSdksDebugChatterIsNotWritten() throws Exception {
        PrintStream console = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            LoggerFactory.getLogger("software.amazon.awssdk.request").info("sending request");
            LoggerFactory.getLogger("app.connections.Test").debug("detail");
        } finally {
            System.setOut(console);
        }
        assertThat(out.toString(StandardCharsets.UTF_8)).isEmpty();
    }
}
