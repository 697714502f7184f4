package app.connections.vault.aws;

import app.connections.vault.SecretRef;
import app.connections.vault.Credential;
import app.connections.vault.SecretOwner;
import app.connections.vault.Vault;
import java.util.List;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.Tag;

/**
 * {@link Vault} on Secrets Manager, with the value additionally sealed under KMS.
 *
 * <p>Each secret is named {@code <prefix>/<accountId>/<connectionId>}, created with the project's
 * KMS key ({@code KmsKeyId}) and tagged with account, workspace, connection and app. Its value is
 * an envelope: a fresh AES-256 data key from KMS {@code GenerateDataKey} under an encryption
 * context naming the account, workspace and connection seals the credential with AES-GCM (the
 * same context is the GCM associated data). Decrypting needs KMS and the same context, so a
 * secret attached to another connection's record does not open.
 */
public final class SecretsManagerVault implements Vault {
    private final SecretsManagerClient secrets;
    private final KmsEnvelope envelope;
    private final String namePrefix;

    public SecretsManagerVault(SecretsManagerClient secrets, KmsClient kms, String kmsKeyId, String namePrefix) {
        this.secrets = secrets;
        this.envelope = new KmsEnvelope(kms, kmsKeyId);
        this.namePrefix = namePrefix;
    }

    /** Whether a reference names a Secrets Manager secret (its ARN). */
    static boolean holds(SecretRef ref) {
        return ref.id().startsWith("arn:") && ref.id().contains(":secretsmanager:");
    }

    @Override
    public SecretRef create(SecretOwner owner, Credential credential) {
        String sealed = envelope.seal(owner, credential);
        try {
            var response = secrets.createSecret(b -> b
                    .name(namePrefix + "/" + owner.accountId() + "/" + owner.connectionId())
                    .kmsKeyId(envelope.keyId())
                    .description("Connection secret (" + owner.app() + ")")
                    .secretString(sealed)
                    .tags(List.of(
                            tag("connections:account", owner.accountId()),
                            tag("connections:workspace", owner.workspaceId().orElse(KmsEnvelope.NO_WORKSPACE)),
                            tag("connections:connection", owner.connectionId()),
                            tag("connections:app", owner.app()))));
            return new SecretRef(response.arn());
        } catch (SdkException e) {
            throw KmsEnvelope.failure("could not store the connection secret", e);
        }
    }

    /**
     * The connection's secret, created, or (named already: a copy repeated after a crash, or the one
     * a move away left in its recovery window) restored and given this credential as its current version.
     */
    SecretRef createOrReplace(SecretOwner owner, Credential credential) {
        String name = namePrefix + "/" + owner.accountId() + "/" + owner.connectionId();
        try {
            return create(owner, credential);
        } catch (app.connections.vault.VaultException e) {
            if (!(e.getCause() instanceof software.amazon.awssdk.services.secretsmanager.model.ResourceExistsException)) {
                throw e;
            }
        }
        try {
            var described = secrets.describeSecret(b -> b.secretId(name));
            if (described.deletedDate() != null) {
                secrets.restoreSecret(b -> b.secretId(name));
            }
            SecretRef ref = new SecretRef(described.arn());
            putVersion(ref, owner, credential);
            return ref;
        } catch (SdkException e) {
            throw KmsEnvelope.failure("could not store the connection secret", e);
        }
    }

    @Override
    public void putVersion(SecretRef ref, SecretOwner owner, Credential credential) {
        String sealed = envelope.seal(owner, credential);
        try {
            secrets.putSecretValue(b -> b.secretId(ref.id()).secretString(sealed));
        } catch (SdkException e) {
            throw KmsEnvelope.failure("could not store a new version of the connection secret", e);
        }
    }

    @Override
    public Credential read(SecretRef ref, SecretOwner owner) {
        String sealed;
        try {
            sealed = secrets.getSecretValue(b -> b.secretId(ref.id())).secretString();
        } catch (SdkException e) {
            throw KmsEnvelope.failure("could not read the connection secret", e);
        }
        return envelope.open(owner, sealed);
    }

    @Override
    public void scheduleDeletion(SecretRef ref, int recoveryWindowDays) {
        if (recoveryWindowDays < 7 || recoveryWindowDays > 30) {
            throw new IllegalArgumentException("recovery window must be 7 to 30 days");
        }
        try {
            if (secrets.describeSecret(b -> b.secretId(ref.id())).deletedDate() != null) {
                return; // already scheduled: deleting is idempotent
            }
            secrets.deleteSecret(b -> b.secretId(ref.id()).recoveryWindowInDays((long) recoveryWindowDays));
        } catch (SdkException e) {
            throw KmsEnvelope.failure("could not schedule the connection secret for deletion", e);
        }
    }

    private static Tag tag(String key, String value) {
        return Tag.builder().key(key).value(value).build();
    }
}
