package app.connections.connection;

/** Which workspaces a connection serves. Workspace is the default; Account reaches workspaces through grants. */
public enum Scope {
    WORKSPACE,
    ACCOUNT
}
