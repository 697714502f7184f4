package app.connections.provider;

/** Port: the one way the service calls third-party apps (key checks, tokens, identity, revocation). */
public interface ProviderHttp {
    /**
     * Sends the request. Fails with {@link ProviderUnreachable} when the provider cannot
     * be reached or answers unusably; any HTTP status is a response.
     */
    ProviderResponse send(ProviderRequest request);
}
