package app.connections.connection;

import app.connections.events.ConnectionEvent;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** Builds the events about a connection: ids, app, status, reason, time — nothing secret. */
public final class ConnectionEvents {
    private ConnectionEvents() {
    }

    /**
     * The event {@code detailType} about {@code toWrite}, the connection as it is about to be saved
     * (its version is the one read; the write stores the next). Its id names the connection, the
     * version the write creates and the type, so the same change always gives the same id: a write
     * retried after a lost answer, or recognised as our own, never makes a second event.
     */
    public static ConnectionEvent of(String detailType, Connection toWrite, String reason, Instant time) {
        return new ConnectionEvent(id(toWrite, detailType), detailType, detail(toWrite, reason, time));
    }

    /** The stable id of {@code detailType} about the write that stores {@code toWrite}. */
    public static String id(Connection toWrite, String detailType) {
        return toWrite.id() + ":v" + (toWrite.version() + 1) + ":" + detailType.toLowerCase(Locale.ROOT).replace(' ', '-');
    }

    public static Map<String, Object> detail(Connection c, String reason, Instant time) {
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
        return detail;
    }
}
