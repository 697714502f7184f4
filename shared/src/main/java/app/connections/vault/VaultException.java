package app.connections.vault;

/** The vault could not store or read a secret. The message never holds secret material. */
public final class VaultException extends RuntimeException {
    public VaultException(String message, Throwable cause) {
        super(message, cause);
    }
}
