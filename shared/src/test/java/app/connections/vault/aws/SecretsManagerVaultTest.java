package app.connections.vault.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import app.connections.TestStack;
import app.connections.vault.SecretRef;
import app.connections.local.aws.LocalAws;
import app.connections.local.aws.LocalAwsExtension;
import app.connections.platform.Config;
import app.connections.vault.Credential;
import app.connections.vault.SecretOwner;
import app.connections.vault.VaultException;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.Tag;

@ExtendWith(LocalAwsExtension.class)
class SecretsManagerVaultTest {
    private Config config;
    private SecretsManagerVault vault;
    private SecretsManagerClient secrets;

    @BeforeEach
    void setUp(LocalAws local) {
        config = TestStack.config(local);
        secrets = TestStack.clients().secrets();
        vault = new SecretsManagerVault(secrets, TestStack.clients().kms(), config.kmsKeyId(), config.secretNamePrefix());
    }

    static SecretOwner owner(String connectionId) {
        return new SecretOwner("acct-" + connectionId, Optional.of("ws-1"), connectionId, "freshdesk");
    }

    @Test
    void aStoredKeyReadsBackForItsConnection() {
        SecretOwner owner = owner(UUID.randomUUID().toString());
        SecretRef ref = vault.create(owner, new Credential(Map.of("apiKey", "fd-key-123")));

        assertThat(vault.read(ref, owner).get("apiKey")).isEqualTo("fd-key-123");
    }

    @Test
    void theSecretIsNamedUnderThePrefixTaggedAndUnderTheProjectKey() {
        SecretOwner owner = owner(UUID.randomUUID().toString());
        SecretRef ref = vault.create(owner, new Credential(Map.of("apiKey", "fd-key-123")));

        var described = secrets.describeSecret(b -> b.secretId(ref.id()));
        assertThat(described.name()).isEqualTo(config.secretNamePrefix() + "/" + owner.accountId() + "/" + owner.connectionId());
        assertThat(described.kmsKeyId()).isEqualTo(config.kmsKeyId());
        assertThat(described.tags()).extracting(Tag::key, Tag::value).contains(
                org.assertj.core.groups.Tuple.tuple("connections:account", owner.accountId()),
                org.assertj.core.groups.Tuple.tuple("connections:workspace", "ws-1"),
                org.assertj.core.groups.Tuple.tuple("connections:connection", owner.connectionId()),
                org.assertj.core.groups.Tuple.tuple("connections:app", "freshdesk"));
    }

    @Test
    void theStoredValueIsSealedNotThePlainKey() {
        SecretOwner owner = owner(UUID.randomUUID().toString());
        SecretRef ref = vault.create(owner, new Credential(Map.of("apiKey", "plain-marker-7f3a")));

        String stored = secrets.getSecretValue(b -> b.secretId(ref.id())).secretString();
        assertThat(stored).doesNotContain("plain-marker-7f3a").contains("AES-256-GCM");
    }

    @Test
    void aSecretAttachedToAnotherConnectionsRecordDoesNotOpen() {
        SecretOwner alice = owner(UUID.randomUUID().toString());
        SecretOwner mallory = owner(UUID.randomUUID().toString());
        SecretRef alicesSecret = vault.create(alice, new Credential(Map.of("apiKey", "alice-key")));

        assertThatThrownBy(() -> vault.read(alicesSecret, mallory))
                .isInstanceOf(VaultException.class)
                .hasMessage("the connection secret does not open for this connection")
                .hasMessageNotContaining("alice-key");
    }

    @Test
    void aNewVersionReplacesTheCurrentValueAndKeepsThePrevious() {
        SecretOwner owner = owner(UUID.randomUUID().toString());
        SecretRef ref = vault.create(owner, new Credential(Map.of("apiKey", "old")));

        vault.putVersion(ref, owner, new Credential(Map.of("apiKey", "new")));

        assertThat(vault.read(ref, owner).get("apiKey")).isEqualTo("new");
        var previous = secrets.getSecretValue(b -> b.secretId(ref.id()).versionStage("AWSPREVIOUS"));
        assertThat(previous.secretString()).isNotBlank();
    }

    @Test
    void deletionIsScheduledWithARecoveryWindowAndCanBeUndone() {
        SecretOwner owner = owner(UUID.randomUUID().toString());
        SecretRef ref = vault.create(owner, new Credential(Map.of("apiKey", "k")));

        vault.scheduleDeletion(ref, 7);

        assertThat(secrets.describeSecret(b -> b.secretId(ref.id())).deletedDate()).isNotNull();
        secrets.restoreSecret(b -> b.secretId(ref.id()));
        assertThat(vault.read(ref, owner).get("apiKey")).isEqualTo("k");
        assertThatThrownBy(() -> vault.scheduleDeletion(ref, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aCredentialNeverPrintsItsValues() {
        assertThat(new Credential(Map.of("apiKey", "s3cr3t")).toString()).doesNotContain("s3cr3t").contains("apiKey");
    }
}
