package app.connections.connection.lifecycle;

import app.connections.connection.Connection;
import app.connections.vault.Credential;

/**
 * Port: revoking a connection's tokens at its provider (RFC 7009 or the app's own call, as the
 * catalog describes it). Implemented by the OAuth feature; the lifecycle only decides when.
 */
public interface ProviderRevocation {
    /** What the provider answered. */
    enum Result {
        /** The provider confirmed. */
        DONE,
        /** 5xx, 429, no answer, or our own client credentials refused: try again later. */
        RETRY,
        /** The app has no revocation we can call (or no client registration): nothing to do at the provider. */
        UNSUPPORTED,
        /** Refused for good: give up. */
        REFUSED
    }

    /** Revokes the connection's stored tokens: the refresh token first, then the access token. */
    Result revokeTokens(Connection connection, Credential tokens);

    /** Revokes one refresh token ({@code token_type_hint=refresh_token}): a revoked connection's, or one a rotation replaced. */
    Result revokeRefreshToken(Connection connection, String refreshToken);

    /** Revokes one access token ({@code token_type_hint=access_token}). */
    Result revokeAccessToken(Connection connection, String accessToken);
}
