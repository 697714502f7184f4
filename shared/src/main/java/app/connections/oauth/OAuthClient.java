package app.connections.oauth;

/** Our OAuth application's registration at a provider. {@link #toString()} hides the secret. */
public record OAuthClient(String clientId, String clientSecret) {
    @Override
    public String toString() {
        return "OAuthClient[" + clientId + ", secret redacted]";
    }
}
