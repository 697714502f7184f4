package app.connections.oauth;

/**
 * The OAuth flow ended without a connection, for a reason the builder can show: {@code
 * access_denied}, {@code invalid_state}, {@code session_expired}, {@code issuer_mismatch}, {@code
 * token_exchange_failed}, {@code identity_failed}, {@code identity_mismatch}, … Never secret.
 */
public final class OAuthFlowException extends RuntimeException {
    private final String code;

    public OAuthFlowException(String code, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
    }

    public String code() {
        return code;
    }
}
