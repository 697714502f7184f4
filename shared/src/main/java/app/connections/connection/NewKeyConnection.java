package app.connections.connection;

import app.connections.catalog.CredentialKind;
import java.util.Map;

/**
 * What the connect dialog sends for an API-key connection.
 *
 * @param credentialKind null for the app's default key kind
 * @param credentials secret values by name ({@code apiKey}); never logged or echoed
 */
public record NewKeyConnection(String app, String label, CredentialKind credentialKind,
                               Map<String, String> credentials, Map<String, String> fields) {
    public NewKeyConnection {
        credentials = credentials == null ? Map.of() : Map.copyOf(credentials);
        fields = fields == null ? Map.of() : Map.copyOf(fields);
    }

    @Override
    public String toString() {
        return "NewKeyConnection[app=" + app + ", label=" + label + ", credentials=" + credentials.keySet() + "]";
    }
}
