package app.connections.platform;

/** The third-party app could not be reached or answered unusably (502). Nothing was stored. */
public final class ProviderUnreachable extends DomainException {
    public ProviderUnreachable(String message, Throwable cause) {
        super("provider_unreachable", null, message, cause);
    }
}
