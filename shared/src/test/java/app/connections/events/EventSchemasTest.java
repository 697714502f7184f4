package app.connections.events;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import app.connections.testing.EventSchemas;
import org.junit.jupiter.api.Test;

class EventSchemasTest {
    static final String DETAIL = "\"eventId\": \"c1:v2:connection-created\", \"connectionId\": \"c1\", \"accountId\": \"a1\", \"workspaceId\": \"w1\", \"scope\": \"WORKSPACE\", "
            + "\"app\": \"hubspot\", \"credentialKind\": \"OAUTH2\", \"status\": \"ACTIVE\", \"time\": \"2026-11-25T10:00:00Z\"";

    @Test
    void aCreatedEventWithTheDocumentedDetailIsValid() {
        assertThatCode(() -> EventSchemas.assertValid(
                "{\"detail-type\": \"Connection Created\", \"detail\": {" + DETAIL + "}}")).doesNotThrowAnyException();
    }

    @Test
    void everyEventCarriesItsStableIdForConsumersToDeduplicateOn() {
        assertThatThrownBy(() -> EventSchemas.assertValid("{\"detail-type\": \"Connection Created\", \"detail\": {"
                + DETAIL.replace("\"eventId\": \"c1:v2:connection-created\", ", "") + "}}"))
                .as("eventId is required").isInstanceOf(AssertionError.class);
        assertThatCode(() -> EventSchemas.assertValid("{\"detail-type\": \"Connection Revocation Failed\", \"detail\": {"
                + DETAIL.replace("ACTIVE", "REVOKED") + ", \"reason\": \"revocation_failed\", \"attempts\": 8}}"))
                .doesNotThrowAnyException();
    }

    @Test
    void anEventCarryingAnythingElseSuchAsATokenIsRefused() {
        assertThatThrownBy(() -> EventSchemas.assertValid(
                "{\"detail-type\": \"Connection Created\", \"detail\": {" + DETAIL + ", \"accessToken\": \"secret\"}}"))
                .isInstanceOf(AssertionError.class);
        assertThatThrownBy(() -> EventSchemas.assertValid(
                "{\"detail-type\": \"Connection Reauthorized\", \"detail\": {" + DETAIL + ", \"reason\": \"reconnected\"}}"))
                .as("parkedRuns is required").isInstanceOf(AssertionError.class);
        assertThatThrownBy(() -> EventSchemas.assertValid("{\"detail-type\": \"Something Else\", \"detail\": {}}"))
                .isInstanceOf(AssertionError.class);
    }
}
