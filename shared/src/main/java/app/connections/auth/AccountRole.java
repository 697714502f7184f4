package app.connections.auth;

/** A builder user's role at the account (agency) level. */
public enum AccountRole {
    /** Administers the account and acts as admin of every workspace in it. */
    ADMIN,
    /** Reaches only the workspaces named in its workspace roles. */
    MEMBER
}
