package app.connections.platform;

/** The caller is known and may see the resource, but may not do this to it (403). */
public final class ForbiddenException extends ServiceException {
    public ForbiddenException(String message) {
        super("forbidden", null, message, null);
    }
}
