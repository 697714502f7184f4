package app.connections.oauth;

import java.util.Map;

/** What the builder (or the portal) asks for when it opens "Connect New Account". */
public record NewConnectSession(String app, String label, Map<String, String> fields, String reconnectConnectionId) {
    public NewConnectSession {
        fields = fields == null ? Map.of() : Map.copyOf(fields);
    }
}
