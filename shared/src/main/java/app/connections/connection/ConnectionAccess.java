package app.connections.connection;

import java.util.Optional;

import app.connections.auth.BuilderUser;
import app.connections.auth.WorkspaceRole;
import app.connections.platform.NotPermitted;
import app.connections.platform.NotVisible;
import app.connections.workspace.WorkspaceAccess;

/**
 * Who may see and change connections through a workspace or account route. Anything the caller
 * may not see is "not found", exactly as an id that never existed.
 */
public final class ConnectionAccess {
    private final WorkspaceAccess workspaces;
    private final ConnectionStore store;

    public ConnectionAccess(WorkspaceAccess workspaces, ConnectionStore store) {
        this.workspaces = workspaces;
        this.store = store;
    }

    public WorkspaceAccess workspaces() {
        return workspaces;
    }

    /** A workspace admin for a workspace target, an account admin for an account target; returns the account. */
    public String requireAdmin(BuilderUser caller, Target target) {
        if (target.scope() == Scope.WORKSPACE) {
            workspaces.requireAdmin(caller, target.ownerId());
        } else {
            WorkspaceAccess.requireAccountAdmin(caller, target.ownerId());
        }
        return caller.accountId();
    }

    /** For a caller who can already see the target: may they change its connections. */
    public void requireAdminOf(BuilderUser caller, Target target) {
        if (target.scope() == Scope.WORKSPACE && caller.roleIn(target.ownerId()).orElse(null) != WorkspaceRole.ADMIN) {
            throw new NotPermitted("only a workspace admin may change connections");
        }
    }

    /** The connection, if the caller may see it through this route; otherwise "not found". */
    public Connection visible(BuilderUser caller, Target target, String connectionId) {
        if (target.scope() == Scope.WORKSPACE) {
            workspaces.requireMember(caller, target.ownerId());
        } else {
            WorkspaceAccess.requireAccountAdmin(caller, target.ownerId());
        }
        return Optional.ofNullable(connectionId).filter(Visibility::plausibleId).flatMap(store::find)
                .filter(c -> Visibility.toBuilder(c, caller, target))
                .orElseThrow(() -> new NotVisible("connection"));
    }
}
