package app.connections.connection;

import app.connections.ids.WorkspaceId;
import app.connections.ids.AccountId;
import app.connections.workspace.Workspace;

/** Where a connection route points: a workspace ({@code /workspaces/{id}/…}) or an account ({@code /accounts/{id}/…}). */
public record Target(Scope scope, String ownerId) {
    public Target {
        if (scope == Scope.WORKSPACE) {
            WorkspaceId.require("workspaceId", ownerId);
        } else {
            AccountId.require("accountId", ownerId);
        }
    }

    public static Target workspace(String workspaceId) {
        return new Target(Scope.WORKSPACE, workspaceId);
    }

    public static Target account(String accountId) {
        return new Target(Scope.ACCOUNT, accountId);
    }
}
