package app.connections.functions.oauth;

import static app.connections.testing.FaultInjector.AwsError.SERVER_ERROR;
import static app.connections.testing.FaultInjector.AwsError.THROTTLED;
import static app.connections.testing.FaultInjector.Service.DYNAMODB;
import static app.connections.testing.FaultInjector.Service.KMS;
import static org.assertj.core.api.Assertions.assertThat;

import app.connections.local.aws.LocalAws;
import app.connections.local.aws.LocalAwsExtension;
import app.connections.testing.FaultInjector;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Our own storage failing inside {@code /oauth/callback}: the popup still reports back to the
 * builder, the session is used up and ended, and no PENDING record or secret is left behind.
 */
@ExtendWith(LocalAwsExtension.class)
class CallbackFailuresTest {
    private final FaultInjector faults = new FaultInjector();
    private OAuthFixture f;

    @BeforeEach
    void setUp(LocalAws local) throws Exception {
        f = new OAuthFixture(local, faults.install());
    }

    @AfterEach
    void tearDown() {
        f.close();
    }

    private APIGatewayV2HTTPResponse connectWhile(Runnable fault, String subject) throws Exception {
        String session = f.createSession("{\"app\": \"demo\"}").path("sessionId").asText();
        APIGatewayV2HTTPResponse start = f.start(session);
        Map<String, String> redirect = f.consent(start.getHeaders().get("location"), subject);
        fault.run();
        APIGatewayV2HTTPResponse page = f.callback(redirect);
        faults.reset();
        return page;
    }

    private void assertReportedAndNothingLeftBehind(APIGatewayV2HTTPResponse page) throws Exception {
        assertThat(page.getStatusCode()).as("the popup gets its result page, not a 500").isEqualTo(400);
        assertThat(page.getHeaders().get("content-type")).startsWith("text/html");
        JsonNode message = OAuthFixture.message(page);
        assertThat(message.path("status").asText()).isEqualTo("error");
        assertThat(message.path("error").asText()).isEqualTo("internal_error");
        assertThat(f.connectionItems()).as("no connection, not even the PENDING one").isEmpty();
        assertThat(f.secretsOfAccount()).as("no secret stored").isEmpty();
    }

    @Test
    void aVaultThatCannotSealTheTokensEndsTheFlowWithAnErrorMessageToTheBuilder() throws Exception {
        APIGatewayV2HTTPResponse page = connectWhile(() -> faults.on(KMS, "GenerateDataKey").fail(SERVER_ERROR, 20), "vault-down");

        assertReportedAndNothingLeftBehind(page);
    }

    @Test
    void aStoreThatCannotSaveTheConnectionEndsTheFlowWithAnErrorMessageToTheBuilder() throws Exception {
        APIGatewayV2HTTPResponse page = connectWhile(() -> faults.on(DYNAMODB, "TransactWriteItems").fail(THROTTLED, 20),
                "store-down");

        assertReportedAndNothingLeftBehind(page);
    }

    @Test
    void theSameStateCannotBeUsedAgainAfterAFailedCallback() throws Exception {
        String session = f.createSession("{\"app\": \"demo\"}").path("sessionId").asText();
        Map<String, String> redirect = f.consent(f.start(session).getHeaders().get("location"), "retry-later");
        faults.on(KMS, "GenerateDataKey").fail(SERVER_ERROR, 20);
        f.callback(redirect);
        faults.reset();

        APIGatewayV2HTTPResponse again = f.callback(redirect);

        assertThat(OAuthFixture.message(again).path("error").asText()).isEqualTo("invalid_state");
        assertThat(f.connectionItems()).isEmpty();
    }
}
