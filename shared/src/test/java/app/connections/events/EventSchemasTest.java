package app.connections.events;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import app.connections.testing.EventSchemas;
import org.junit.jupiter.api.Test;

class EventSchemasTest {
    static final String DETAIL = "\"connectionId\": \"c1\", \"accountId\": \"a1\", \"workspaceId\": \"w1\", \"scope\": \"WORKSPACE\", "
            + "\"app\": \"hubspot\", \"credentialKind\": \"OAUTH2\", \"status\": \"ACTIVE\", \"time\": \"2026-11-25T10:00:00Z\"";

    @Test
    void aCreatedEventWithTheDocumentedDetailIsValid() {
        assertThatCode(() -> EventSchemas.assertValid(
                "{\"detail-type\": \"Connection Created\", \"detail\": {" + DETAIL + "}}")).doesNotThrowAnyException();
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
