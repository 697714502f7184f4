package app.connections.platform;

/** No valid identity for this route (401). */
public final class NotSignedIn extends DomainException {
    public NotSignedIn(String message) {
        super("unauthorized", null, message, null);
    }
}
