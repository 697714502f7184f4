package app.connections.connection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import app.connections.platform.BadRequestException;
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
        assertThatThrownBy(() -> workspaceConnection(" ")).isInstanceOf(BadRequestException.class)
                .hasMessageContaining("label");
        assertThatThrownBy(() -> workspaceConnection("x".repeat(101))).isInstanceOf(BadRequestException.class);
        assertThatThrownBy(() -> workspaceConnection("bell\u0007")).isInstanceOf(BadRequestException.class);
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
}
