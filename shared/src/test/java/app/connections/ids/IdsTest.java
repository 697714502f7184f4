package app.connections.ids;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import app.connections.platform.InvalidField;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** One rule per id, the same wherever the id arrives. */
class IdsTest {
    @Test
    void theIdsWeIssueAndTheOnesAgenciesChooseAreValid() {
        assertThat(ConnectionId.parse(UUID.randomUUID().toString())).isPresent();
        assertThat(new AccountId("acct-demo").value()).isEqualTo("acct-demo");
        assertThat(new WorkspaceId("ws_acme-2").toString()).isEqualTo("ws_acme-2");
    }

    @Test
    void anIdThatCannotBeOneIsNotFoundWhenLookedUpAndAnErrorNamingTheFieldWhenGiven() {
        for (String bad : new String[] {null, "", "a".repeat(65), "ws acme", "ws/../x", "acct:1", "é"}) {
            assertThat(ConnectionId.parse(bad)).as(String.valueOf(bad)).isEmpty();
            assertThat(WorkspaceId.parse(bad)).isEmpty();
            assertThat(AccountId.parse(bad)).isEmpty();
        }
        assertThatThrownBy(() -> new WorkspaceId("ws acme")).isInstanceOf(InvalidField.class)
                .satisfies(e -> assertThat(((InvalidField) e).field()).contains("workspaceId"));
        assertThatThrownBy(() -> AccountId.require("custom:account_id", "")).isInstanceOf(InvalidField.class)
                .hasMessageContaining("custom:account_id");
    }
}
