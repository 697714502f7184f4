package app.connections.connection;

import app.connections.vault.SecretRef;
import app.connections.catalog.CredentialKind;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import app.connections.platform.InvalidField;
import app.connections.platform.InvalidState;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ConnectionTest {
    static final Instant NOW = Instant.parse("2026-11-25T10:00:00Z");

    static Connection workspaceConnection(String label) {
        return Connection.create("conn-1", "acct-1", Optional.of("ws-1"), Scope.WORKSPACE, "freshdesk", label,
                CredentialKind.API_KEY, ConnectionStatus.ACTIVE, java.util.Map.of(), "user-1", NOW);
    }

    @Test
    void aWorkspaceConnectionBelongsToItsWorkspace() {
        assertThat(workspaceConnection("Acme Freshdesk").scopeOwner()).isEqualTo("ws-1");
    }

    @Test
    void anAccountConnectionBelongsToNoWorkspace() {
        assertThatThrownBy(() -> Connection.create("c", "acct-1", Optional.of("ws-1"), Scope.ACCOUNT, "openai", "Key",
                CredentialKind.API_KEY, ConnectionStatus.ACTIVE, java.util.Map.of(), "u", NOW))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void labelsAreTrimmedAndBounded() {
        assertThat(workspaceConnection("  Acme  ").label()).isEqualTo("Acme");
        assertThatThrownBy(() -> workspaceConnection(" ")).isInstanceOf(InvalidField.class)
                .hasMessageContaining("label");
        assertThatThrownBy(() -> workspaceConnection("x".repeat(101))).isInstanceOf(InvalidField.class);
        assertThatThrownBy(() -> workspaceConnection("bell\u0007")).isInstanceOf(InvalidField.class);
        assertThat(workspaceConnection("é".repeat(100)).label()).hasSize(100);
    }

    @Test
    void thePickerOffersOnlyActiveAndBrokenConnections() {
        assertThat(ConnectionStatus.ACTIVE.offeredByPicker()).isTrue();
        assertThat(ConnectionStatus.ERROR.offeredByPicker()).isTrue();
        assertThat(ConnectionStatus.PENDING.offeredByPicker()).isFalse();
        assertThat(ConnectionStatus.REVOKED.offeredByPicker()).isFalse();
    }

    @Test
    void aSecretReferenceNeverPrintsItself() {
        assertThat(new SecretRef("arn:aws:secretsmanager:us-east-1:1:secret:x").toString()).doesNotContain("arn");
    }

    @Test
    void aRevokedConnectionStaysRevokedWhateverIsAttempted() {
        Connection revoked = workspaceConnection("Desk").revoked("revoked_by_user", NOW);
        SecretRef ref = new SecretRef("secret-1");
        TokenSchedule schedule = RefreshTiming.DEFAULT.granted(Optional.of(NOW.plusSeconds(3600)), true, NOW);

        assertThat(revoked.status()).isEqualTo(ConnectionStatus.REVOKED);
        assertThat(revoked.statusReason()).contains("revoked_by_user");
        assertThatThrownBy(() -> revoked.activated(NOW)).isInstanceOf(InvalidState.class).hasMessageContaining("revoked");
        assertThatThrownBy(() -> revoked.authorized("acct-9", "user-1", ref, schedule, NOW)).isInstanceOf(InvalidState.class);
        assertThatThrownBy(() -> revoked.markedError("invalid_grant", NOW)).isInstanceOf(InvalidState.class);
        assertThatThrownBy(() -> revoked.revoked("again", NOW)).isInstanceOf(InvalidState.class);
    }

    @Test
    void aBrokenConnectionComesBackThroughAReconnectAndOnlyAnActiveOneCanBreak() {
        Connection active = workspaceConnection("Desk");
        Connection broken = active.markedError("invalid_grant", NOW.plusSeconds(5));

        assertThat(broken.status()).isEqualTo(ConnectionStatus.ERROR);
        assertThat(broken.statusSince()).isEqualTo(NOW.plusSeconds(5));
        assertThat(broken.activated(NOW.plusSeconds(9)).status()).isEqualTo(ConnectionStatus.ACTIVE);
        Connection pending = Connection.create("c2", "acct-1", Optional.of("ws-1"), Scope.WORKSPACE, "demo", "CRM",
                CredentialKind.OAUTH2, ConnectionStatus.PENDING, java.util.Map.of(), "user-1", NOW);
        assertThatThrownBy(() -> pending.markedError("invalid_grant", NOW)).isInstanceOf(InvalidState.class);
    }
}
