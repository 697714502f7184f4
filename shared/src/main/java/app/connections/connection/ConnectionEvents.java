package app.connections.connection;

import app.connections.events.ConnectionEvent;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** Builds the events published about a connection: ids, app, status, reason, time — nothing secret. */
public final class ConnectionEvents {
    private ConnectionEvents() {
    }

    public static ConnectionEvent of(String detailType, Connection c, String reason, Instant time) {
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("connectionId", c.id());
        detail.put("accountId", c.accountId());
        c.workspaceId().ifPresent(ws -> detail.put("workspaceId", ws));
        detail.put("scope", c.scope().name());
        detail.put("app", c.app());
        detail.put("credentialKind", c.credentialKind().name());
        detail.put("status", c.status().name());
        if (reason != null) {
            detail.put("reason", reason);
        }
        detail.put("time", time.toString());
        return new ConnectionEvent(detailType, detail);
    }
}
