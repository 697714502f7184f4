package app.connections.connection;

import app.connections.auth.BuilderUser;
import app.connections.connection.Connection;
import app.connections.connection.ConnectionStore;
import app.connections.workspace.WorkspaceAccess;
import java.util.List;

/** The workspace banner: connections that need to be reauthorized. */
public final class Alerts {
    private final ConnectionStore store;
    private final WorkspaceAccess access;

    public Alerts(ConnectionStore store, WorkspaceAccess access) {
        this.store = store;
        this.access = access;
    }

    /** What the banner shows; {@code message} is null when nothing needs attention. */
    public record Banner(int reauthorizationRequired,
                         @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.ALWAYS)
                         String message,
                         List<Item> connections) {
    }

    public record Item(String id, String app, String label, String since) {
    }

    public Banner of(BuilderUser caller, String workspaceId) {
        access.requireMember(caller, workspaceId);
        List<Connection> broken = store.needingAttention(caller.accountId(), workspaceId);
        return new Banner(broken.size(), message(broken.size()),
                broken.stream().map(c -> new Item(c.id(), c.app(), c.label(), c.statusSince().toString())).toList());
    }

    /** Exactly the product's strings. */
    public static String message(int n) {
        return switch (n) {
            case 0 -> null;
            case 1 -> "A connection needs to be reauthorized";
            default -> n + " connections need to be reauthorized";
        };
    }
}
