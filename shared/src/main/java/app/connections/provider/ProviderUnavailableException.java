package app.connections.provider;

/** The provider could not be reached (network, timeout, refused address, oversized answer). */
public final class ProviderUnavailableException extends RuntimeException {
    public ProviderUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
