package app.connections.auth;

import java.util.Objects;

/** A client of the agency signed in to the client portal (portal user pool), bound to one workspace. */
public record PortalClient(String userId, String accountId, String workspaceId) implements Principal {
    public PortalClient {
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(accountId, "accountId");
        Objects.requireNonNull(workspaceId, "workspaceId");
    }
}
