package app.connections.connection;

import app.connections.ids.ConnectionId;
import app.connections.auth.BuilderUser;
import app.connections.auth.PortalClient;
import app.connections.catalog.CredentialKind;
import java.util.Optional;

/**
 * The one answer to "may this caller see this connection", for every caller: the builder's routes,
 * the client portal, the grants of account connections and the workflow runtime. Whether the
 * caller may act on the route itself (a member of the workspace, the account's admin) is checked
 * before, by the workspace access rules; this decides about the connection. Anything not visible is
 * answered exactly as an id that never existed.
 */
public final class Visibility {
    private Visibility() {
    }

    /** Whether an id is worth looking up at all (one that cannot be a connection id is simply not found). */
    public static boolean plausibleId(String connectionId) {
        return ConnectionId.parse(connectionId).isPresent();
    }

    /** Builder: a connection of the caller's account, living exactly where the route points (workspace or account). */
    public static boolean toBuilder(Connection c, BuilderUser caller, Target target) {
        return c.accountId().equals(caller.accountId()) && c.scope() == target.scope() && c.scopeOwner().equals(target.ownerId());
    }

    /** Client portal: an OAuth connection the client authorized themselves, in their own workspace, once connected. */
    public static boolean toPortalClient(Connection c, PortalClient client) {
        return c.accountId().equals(client.accountId())
                && c.workspaceId().orElse("").equals(client.workspaceId())
                && c.credentialKind() == CredentialKind.OAUTH2
                && c.authorizedBy().orElse("").equals(client.userId())
                && c.status() != ConnectionStatus.PENDING;
    }

    /** Grants: an account-scoped or workspace-scoped connection of the account whose admin asks (scope is checked by the grant). */
    public static boolean toAccount(Connection c, String accountId) {
        return c.accountId().equals(accountId);
    }

    /**
     * The runtime, for a step of a workspace: the workspace's own connection, or an account connection
     * with a grant to that workspace ({@code grantedToWorkspace}: whether such a grant exists).
     * PENDING connections are never visible to runs.
     */
    public static boolean toRuntime(Connection c, String accountId, String workspaceId, boolean grantedToWorkspace) {
        if (!c.accountId().equals(accountId) || c.status() == ConnectionStatus.PENDING) {
            return false;
        }
        return c.scope() == Scope.WORKSPACE ? c.workspaceId().equals(Optional.of(workspaceId)) : grantedToWorkspace;
    }
}
