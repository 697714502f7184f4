package app.connections.platform;

/** The caller is known and may see the resource, but may not do this to it (403). */
public final class NotPermitted extends DomainException {
    public NotPermitted(String message) {
        super("forbidden", null, message, null);
    }
}
