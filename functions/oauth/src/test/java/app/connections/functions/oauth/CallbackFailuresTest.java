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
 * Our own storage failing inside {@code /oauth/callback} or the completion after it: the popup still
 * reports back to the builder (or the completion answers), the session is used up and ended, and no
 * PENDING record or secret is left behind.
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

    private Map<String, String> consented(String subject) throws Exception {
        String session = f.createSession("{\"app\": \"demo\"}").path("sessionId").asText();
        return f.consent(f.start(session).getHeaders().get("location"), subject);
    }

    private void assertNothingLeftBehind() {
        assertThat(f.connectionItems()).as("no connection, not even the PENDING one").isEmpty();
        assertThat(f.secretsOfAccount()).as("no secret stored").isEmpty();
    }

    @Test
    void aKmsThatCannotSealTheCodeEndsTheCallbackWithAnErrorMessageToTheBuilder() throws Exception {
        Map<String, String> redirect = consented("kms-down");
        faults.on(KMS, "Encrypt").fail(SERVER_ERROR, 20);

        APIGatewayV2HTTPResponse page = f.callback(redirect);
        faults.reset();

        assertThat(page.getStatusCode()).as("the popup gets its result page, not a 500").isEqualTo(400);
        assertThat(page.getHeaders().get("content-type")).startsWith("text/html");
        JsonNode message = OAuthFixture.message(page);
        assertThat(message.path("status").asText()).isEqualTo("error");
        assertThat(message.path("error").asText()).isEqualTo("internal_error");
        assertNothingLeftBehind();
    }

    /** A callback that went well, then a completion while {@code fault} holds. */
    private void assertACompletionDuringTheFaultReportsItAndLeavesNothing(String subject, Runnable fault) throws Exception {
        APIGatewayV2HTTPResponse page = f.callback(consented(subject));
        fault.run();

        APIGatewayV2HTTPResponse completed = f.completeFrom(page);
        faults.reset();

        assertThat(completed.getStatusCode()).isEqualTo(422);
        assertThat(OAuthFixture.message(completed).path("error").asText()).isEqualTo("internal_error");
        assertNothingLeftBehind();
    }

    @Test
    void aVaultThatCannotSealTheTokensEndsTheCompletionWithAnErrorAndNothingLeftBehind() throws Exception {
        assertACompletionDuringTheFaultReportsItAndLeavesNothing("vault-down",
                () -> faults.on(KMS, "GenerateDataKey").fail(SERVER_ERROR, 20));
    }

    @Test
    void aStoreThatCannotSaveTheConnectionEndsTheCompletionWithAnErrorAndNothingLeftBehind() throws Exception {
        assertACompletionDuringTheFaultReportsItAndLeavesNothing("store-down",
                () -> faults.on(DYNAMODB, "TransactWriteItems").fail(THROTTLED, 20));
    }

    @Test
    void theSameStateCannotBeUsedAgainAfterAFailedCallback() throws Exception {
        Map<String, String> redirect = consented("retry-later");
        faults.on(KMS, "Encrypt").fail(SERVER_ERROR, 20);
        f.callback(redirect);
        faults.reset();

        APIGatewayV2HTTPResponse again = f.callback(redirect);

        assertThat(OAuthFixture.message(again).path("error").asText()).isEqualTo("invalid_state");
        assertNothingLeftBehind();
    }
}
