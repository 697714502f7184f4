package app.connections.oauth;

import app.connections.catalog.App;
import app.connections.catalog.AppCatalog;
import app.connections.connection.Connection;
import app.connections.connection.lifecycle.ProviderRevocation;
import app.connections.vault.Credential;
import java.util.Optional;

/** The lifecycle's provider revocation, through the app's catalog entry and our client registration. */
public final class OAuthProviderRevocation implements ProviderRevocation {
    private final AppCatalog catalog;
    private final OAuthClients clients;
    private final RevocationEndpoint endpoint;

    public OAuthProviderRevocation(AppCatalog catalog, OAuthClients clients, RevocationEndpoint endpoint) {
        this.catalog = catalog;
        this.clients = clients;
        this.endpoint = endpoint;
    }

    @Override
    public Result revokeTokens(Connection c, Credential tokens) {
        Optional<App> app = catalog.find(c.app());
        Optional<OAuthClient> client = app.flatMap(a -> clients.find(a.key()));
        if (app.isEmpty() || client.isEmpty()) {
            return Result.UNSUPPORTED;
        }
        Result result = Result.UNSUPPORTED;
        if (tokens.get("refreshToken") != null) { // RFC 7009 §2.1: the refresh token first, with its hint
            result = map(endpoint.revoke(app.get(), client.get(), tokens.get("refreshToken"), "refresh_token", c.fields()));
            if (result == Result.RETRY) {
                return result;
            }
        }
        if (tokens.get("accessToken") != null) {
            Result access = map(endpoint.revoke(app.get(), client.get(), tokens.get("accessToken"), "access_token", c.fields()));
            if (access == Result.RETRY) {
                return access;
            }
        }
        return result;
    }

    @Override
    public Result revokeAccessToken(Connection c, String accessToken) {
        Optional<App> app = catalog.find(c.app());
        Optional<OAuthClient> client = app.flatMap(a -> clients.find(a.key()));
        if (app.isEmpty() || client.isEmpty()) {
            return Result.UNSUPPORTED;
        }
        return map(endpoint.revoke(app.get(), client.get(), accessToken, "access_token", c.fields()));
    }

    @Override
    public Result revokeRefreshToken(Connection c, String refreshToken) {
        Optional<App> app = catalog.find(c.app());
        Optional<OAuthClient> client = app.flatMap(a -> clients.find(a.key()));
        if (app.isEmpty() || client.isEmpty()) {
            return Result.UNSUPPORTED;
        }
        return map(endpoint.revoke(app.get(), client.get(), refreshToken, "refresh_token", c.fields()));
    }

    private static Result map(RevocationEndpoint.Result result) {
        return switch (result) {
            case DONE -> Result.DONE;
            case RETRY -> Result.RETRY;
            case UNSUPPORTED -> Result.UNSUPPORTED;
            case REFUSED -> Result.REFUSED;
        };
    }
}
