package app.connections.catalog;

/** How an app authenticates us. The builder creates only OAUTH2 and API_KEY. */
public enum CredentialKind {
    OAUTH2,
    API_KEY,
    BASIC,
    DSN,
    CUSTOM
}
