package app.connections.vault;

/** The vault could not store or read a secret. The message never holds secret material. */
public final class VaultException extends RuntimeException {
    private final boolean retryable;

    public VaultException(String message, Throwable cause) {
        this(message, cause, false);
    }

    public VaultException(String message, Throwable cause, boolean retryable) {
        super(message, cause);
        this.retryable = retryable;
    }

    /**
     * Whether the store was only temporarily unavailable (throttled, failing, unreachable) and the
     * same call may succeed later; false when it refused (a key disabled, a secret that does not
     * belong to its connection, a malformed value).
     */
    public boolean retryable() {
        return retryable;
    }
}
