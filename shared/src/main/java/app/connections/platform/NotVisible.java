package app.connections.platform;

/**
 * Unknown, or not visible to the caller (404). Another tenant's ids get exactly this, with the
 * same body as an id that never existed.
 */
public final class NotVisible extends DomainException {
    public NotVisible(String what) {
        super("not_found", null, what + " not found", null);
    }
}
