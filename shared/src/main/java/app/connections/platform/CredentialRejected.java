package app.connections.platform;

/** The app refused the credential we were given (422). Nothing was stored. */
public final class CredentialRejected extends DomainException {
    public CredentialRejected(String field, String message) {
        super("credential_rejected", field, message, null);
    }
}
