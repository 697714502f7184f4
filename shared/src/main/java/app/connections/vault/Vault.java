package app.connections.vault;


/** Port: the encrypted store of connection secrets. */
public interface Vault {
    /** Stores the first version of a connection's secret. */
    SecretRef create(SecretOwner owner, Credential credential);

    /** Stores a new version of an existing secret; the previous version stays recoverable. */
    void putVersion(SecretRef ref, SecretOwner owner, Credential credential);

    /**
     * Reads the current version. Fails with {@link VaultException} if the secret does not belong to
     * {@code owner} (its encryption context names another connection) or cannot be read.
     */
    Credential read(SecretRef ref, SecretOwner owner);

    /** Schedules deletion after a recovery window; the secret can be restored until then. Idempotent. */
    void scheduleDeletion(SecretRef ref, int recoveryWindowDays);

    /**
     * Whether a write to this secret spends the account's shared secret-write quota (Secrets
     * Manager's 50 writes/s per account and region), which the refresher meters with its write budget.
     */
    default boolean spendsSharedWriteQuota(SecretRef ref) {
        return true;
    }

    /** Where credentials can be kept (the deployment's {@code VaultMode}). */
    enum Store {
        SECRETS_MANAGER, DYNAMODB
    }

    /** Whether {@code ref} is kept in {@code store}. */
    default boolean keptIn(SecretRef ref, Store store) {
        return store == Store.SECRETS_MANAGER;
    }

    /**
     * The credential of {@code ref} copied into {@code store} as the current version there (a
     * repeated copy after a crash updates the same place): the reference to switch the connection to.
     */
    default SecretRef copyInto(Store store, SecretRef ref, SecretOwner owner) {
        throw new UnsupportedOperationException("this vault keeps credentials in one store");
    }
}
