package app.connections.auth;

/** A builder user's role in one workspace. */
public enum WorkspaceRole {
    /** Creates and manages the workspace's connections. */
    ADMIN,
    /** Builds workflows: picks connections, cannot create or change them. */
    EDITOR
}
