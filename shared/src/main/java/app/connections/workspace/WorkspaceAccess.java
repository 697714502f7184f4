package app.connections.workspace;

import app.connections.ids.WorkspaceId;
import app.connections.auth.BuilderUser;
import app.connections.auth.WorkspaceRole;
import app.connections.platform.NotPermitted;
import app.connections.platform.NotVisible;

/**
 * Who may do what in a workspace. Every workspace route starts here: the workspace must belong
 * to the caller's account and the caller must hold a role in it; otherwise it is "not found", the
 * same answer an unknown id gets, so no tenant learns another tenant's ids.
 */
public final class WorkspaceAccess {
    private final WorkspaceRegistry registry;

    public WorkspaceAccess(WorkspaceRegistry registry) {
        this.registry = registry;
    }

    /** Any member (admin or editor) of the workspace. */
    public Workspace requireMember(BuilderUser user, String workspaceId) {
        WorkspaceId.require("workspaceId", workspaceId);
        Workspace workspace = registry.find(user.accountId(), workspaceId)
                .orElseThrow(() -> new NotVisible("workspace"));
        user.roleIn(workspaceId).orElseThrow(() -> new NotVisible("workspace"));
        return workspace;
    }

    /** A workspace admin (or an account admin). */
    public Workspace requireAdmin(BuilderUser user, String workspaceId) {
        Workspace workspace = requireMember(user, workspaceId);
        if (user.roleIn(workspaceId).orElseThrow() != WorkspaceRole.ADMIN) {
            throw new NotPermitted("only a workspace admin may do this");
        }
        return workspace;
    }

    /** An account admin acting on its own account; another account's id is "not found". */
    public static void requireAccountAdmin(BuilderUser user, String accountId) {
        if (!user.accountId().equals(accountId)) {
            throw new NotVisible("account");
        }
        if (!user.isAccountAdmin()) {
            throw new NotPermitted("only an account admin may do this");
        }
    }
}
