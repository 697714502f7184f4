package app.connections.vault.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import app.connections.TestStack;
import app.connections.local.aws.LocalAws;
import app.connections.local.aws.LocalAwsExtension;
import app.connections.platform.Config;
import app.connections.testing.OAuthWorld.MutableClock;
import app.connections.vault.Credential;
import app.connections.vault.SecretOwner;
import app.connections.vault.SecretRef;
import app.connections.vault.Vault;
import app.connections.vault.VaultException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** What every vault mode guarantees, run against both (moto): Secrets Manager and the DynamoDB table. */
@ExtendWith(LocalAwsExtension.class)
class VaultModesTest {
    private Config config;
    private final MutableClock clock = new MutableClock();

    @BeforeEach
    void setUp(LocalAws local) {
        config = TestStack.config(local);
    }

    private VaultByMode vault(Vault.Store mode) {
        var clients = TestStack.clients();
        return new VaultByMode(new SecretsManagerVault(clients.secrets(), clients.kms(), config.kmsKeyId(), config.secretNamePrefix()),
                new DynamoDbVault(clients.dynamo(), config.tableName(), clients.kms(), config.kmsKeyId(), clock), mode);
    }

    private static SecretOwner owner() {
        String id = UUID.randomUUID().toString();
        return new SecretOwner("acct-" + id.substring(0, 8), Optional.of("ws-1"), id, "freshdesk");
    }

    @ParameterizedTest
    @EnumSource(Vault.Store.class)
    void aStoredCredentialReadsBackForItsConnectionAndIsStoredInTheModesStore(Vault.Store mode) {
        VaultByMode vault = vault(mode);
        SecretOwner owner = owner();

        SecretRef ref = vault.create(owner, new Credential(Map.of("apiKey", "fd-key-123")));

        assertThat(vault.read(ref, owner).get("apiKey")).isEqualTo("fd-key-123");
        assertThat(VaultByMode.storedIn(ref, mode)).isTrue();
        assertThat(vault.spendsSharedWriteQuota(ref)).isEqualTo(mode == Vault.Store.SECRETS_MANAGER);
    }

    @ParameterizedTest
    @EnumSource(Vault.Store.class)
    void aCredentialOpensOnlyForItsOwnAccountWorkspaceAndConnection(Vault.Store mode) {
        Vault vault = vault(mode);
        SecretOwner alice = owner();
        SecretRef ref = vault.create(alice, new Credential(Map.of("apiKey", "alice-key")));

        // owners that differ from alice's in exactly one part each
        SecretOwner otherAccount = new SecretOwner("acct-other", alice.workspaceId(), alice.connectionId(), alice.app());
        SecretOwner otherWorkspace = new SecretOwner(alice.accountId(), Optional.of("ws-2"), alice.connectionId(), alice.app());
        SecretOwner accountScope = new SecretOwner(alice.accountId(), Optional.empty(), alice.connectionId(), alice.app());
        SecretOwner otherConnection = new SecretOwner(alice.accountId(), alice.workspaceId(), UUID.randomUUID().toString(), alice.app());
        for (SecretOwner mallory : Stream.of(otherAccount, otherWorkspace, accountScope, otherConnection).toList()) {
            assertThatThrownBy(() -> vault.read(ref, mallory)).as(mallory.toString())
                    .isInstanceOf(VaultException.class)
                    .hasMessage("the connection secret does not open for this connection")
                    .hasMessageNotContaining("alice-key");
        }
    }

    @ParameterizedTest
    @EnumSource(Vault.Store.class)
    void aNewVersionReplacesTheCurrentValue(Vault.Store mode) {
        Vault vault = vault(mode);
        SecretOwner owner = owner();
        SecretRef ref = vault.create(owner, new Credential(Map.of("apiKey", "old")));

        vault.putVersion(ref, owner, new Credential(Map.of("apiKey", "new")));

        assertThat(vault.read(ref, owner).get("apiKey")).isEqualTo("new");
    }

    @ParameterizedTest
    @EnumSource(Vault.Store.class)
    void aDeletedCredentialNoLongerReadsAndDeletingAgainChangesNothing(Vault.Store mode) {
        Vault vault = vault(mode);
        SecretOwner owner = owner();
        SecretRef ref = vault.create(owner, new Credential(Map.of("apiKey", "k")));

        vault.scheduleDeletion(ref, 7);
        vault.scheduleDeletion(ref, 7);

        assertThatThrownBy(() -> vault.read(ref, owner)).isInstanceOf(VaultException.class);
        assertThatThrownBy(() -> vault.scheduleDeletion(ref, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @EnumSource(Vault.Store.class)
    void bothKindsOfCredentialReadInEitherModeSoConnectionsCanMoveWhileTheyAreUsed(Vault.Store mode) {
        SecretOwner owner = owner();
        SecretRef inSecretsManager = vault(Vault.Store.SECRETS_MANAGER).create(owner, new Credential(Map.of("apiKey", "sm")));
        SecretRef inDynamo = vault(Vault.Store.DYNAMODB).create(owner, new Credential(Map.of("apiKey", "ddb")));

        assertThat(vault(mode).read(inSecretsManager, owner).get("apiKey")).isEqualTo("sm");
        assertThat(vault(mode).read(inDynamo, owner).get("apiKey")).isEqualTo("ddb");
    }

    @org.junit.jupiter.api.Test
    void theDynamoDbModeStoresOnlySealedValuesKeepsThePreviousVersionAndRestoresWithinTheWindow() {
        var clients = TestStack.clients();
        DynamoDbVault vault = new DynamoDbVault(clients.dynamo(), config.tableName(), clients.kms(), config.kmsKeyId(), clock);
        SecretOwner owner = owner();
        SecretRef ref = vault.create(owner, new Credential(Map.of("apiKey", "plain-marker-7f3a")));
        vault.putVersion(ref, owner, new Credential(Map.of("apiKey", "second")));

        var item = clients.dynamo().getItem(b -> b.tableName(config.tableName()).consistentRead(true).key(Map.of(
                "pk", software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromS("VAULT#" + ref.id().substring("dynamodb:".length())),
                "sk", software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromS("SECRET")))).item();
        assertThat(item.toString()).doesNotContain("plain-marker-7f3a").doesNotContain("second").contains("AES-256-GCM");
        assertThat(vault.previous(ref, owner).orElseThrow().get("apiKey")).isEqualTo("plain-marker-7f3a");

        vault.scheduleDeletion(ref, 7);
        clock.advance(Duration.ofDays(3));
        vault.restore(ref);
        assertThat(vault.read(ref, owner).get("apiKey")).isEqualTo("second");
    }
}
