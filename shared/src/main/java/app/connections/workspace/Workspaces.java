package app.connections.workspace;

import app.connections.auth.BuilderUser;
import java.util.List;

/** Use cases of the workspace registry (account admins). */
public final class Workspaces {
    private final WorkspaceRegistry registry;

    public Workspaces(WorkspaceRegistry registry) {
        this.registry = registry;
    }

    /** Creates the workspace, or renames it when it exists. */
    public Workspace put(BuilderUser caller, String accountId, String workspaceId, String name) {
        WorkspaceAccess.requireAccountAdmin(caller, accountId);
        Workspace workspace = new Workspace(workspaceId, accountId, name);
        registry.put(workspace);
        return workspace;
    }

    public List<Workspace> list(BuilderUser caller, String accountId) {
        WorkspaceAccess.requireAccountAdmin(caller, accountId);
        return registry.list(accountId);
    }
}
