package app.connections.auth;

/** Who is calling, as the JWT authorizer vouched for it. */
public sealed interface Principal permits BuilderUser, PortalClient {
    /** The identity provider's subject. */
    String userId();

    /** The agency account the caller belongs to. */
    String accountId();
}
