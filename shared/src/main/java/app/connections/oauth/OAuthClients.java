package app.connections.oauth;

import java.util.Optional;

/** Port: our OAuth client registration per app, kept in Secrets Manager. */
public interface OAuthClients {
    Optional<OAuthClient> find(String appKey);
}
