package app.connections.platform;

/** No valid identity for this route (401). */
public final class UnauthorizedException extends ServiceException {
    public UnauthorizedException(String message) {
        super("unauthorized", null, message, null);
    }
}
