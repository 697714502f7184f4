package app.connections.vault.aws;

import app.connections.vault.Credential;
import app.connections.vault.SecretOwner;
import app.connections.vault.SecretRef;
import app.connections.vault.Vault;

/**
 * The vault of a deployment's mode (template parameter {@code VaultMode}): new credentials go to
 * the mode's store, and every existing reference is served by the store that holds it, so both
 * kinds live side by side while connections move from one mode to the other.
 */
public final class VaultByMode implements Vault {
    /** The store of a {@code VAULT_MODE} value. */
    public static Store parse(String mode) {
        return switch (mode) {
            case "SecretsManager" -> Store.SECRETS_MANAGER;
            case "DynamoDB" -> Store.DYNAMODB;
            default -> throw new IllegalStateException("VAULT_MODE must be SecretsManager or DynamoDB");
        };
    }

    private final SecretsManagerVault secretsManager;
    private final DynamoDbVault dynamo;
    private final Store mode;

    public VaultByMode(SecretsManagerVault secretsManager, DynamoDbVault dynamo, Store mode) {
        this.secretsManager = secretsManager;
        this.dynamo = dynamo;
        this.mode = mode;
    }

    public Store mode() {
        return mode;
    }

    private Vault holding(SecretRef ref) {
        return DynamoDbVault.holds(ref) ? dynamo : secretsManager;
    }

    /** The vault that stores new credentials in {@code target}'s mode (a migration writes there). */
    public Vault of(Store target) {
        return target == Store.DYNAMODB ? dynamo : secretsManager;
    }

    /** Whether {@code ref} is stored in {@code target}'s mode already. */
    public static boolean storedIn(SecretRef ref, Store target) {
        return DynamoDbVault.holds(ref) == (target == Store.DYNAMODB);
    }

    @Override
    public boolean keptIn(SecretRef ref, Store store) {
        return storedIn(ref, store);
    }

    @Override
    public SecretRef copyInto(Store store, SecretRef ref, SecretOwner owner) {
        Credential credential = read(ref, owner);
        return store == Store.DYNAMODB ? dynamo.createOrReplace(owner, credential) : secretsManager.createOrReplace(owner, credential);
    }

    @Override
    public SecretRef create(SecretOwner owner, Credential credential) {
        return of(mode).create(owner, credential);
    }

    @Override
    public void putVersion(SecretRef ref, SecretOwner owner, Credential credential) {
        holding(ref).putVersion(ref, owner, credential);
    }

    @Override
    public Credential read(SecretRef ref, SecretOwner owner) {
        return holding(ref).read(ref, owner);
    }

    @Override
    public void scheduleDeletion(SecretRef ref, int recoveryWindowDays) {
        holding(ref).scheduleDeletion(ref, recoveryWindowDays);
    }

    @Override
    public boolean spendsSharedWriteQuota(SecretRef ref) {
        return holding(ref).spendsSharedWriteQuota(ref);
    }
}
