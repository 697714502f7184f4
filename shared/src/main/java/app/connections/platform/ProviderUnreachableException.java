package app.connections.platform;

/** The third-party app could not be reached or answered unusably (502). Nothing was stored. */
public final class ProviderUnreachableException extends ServiceException {
    public ProviderUnreachableException(String message, Throwable cause) {
        super("provider_unreachable", null, message, cause);
    }
}
