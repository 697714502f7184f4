package app.connections.vault;

import java.util.Map;
import java.util.Objects;

/**
 * Secret material of one connection (an API key, OAuth tokens, a password…) as named values.
 * {@link #toString()} never prints the values, so a credential in a log line or an exception
 * message leaks nothing.
 */
public record Credential(Map<String, String> values) {
    public Credential {
        Objects.requireNonNull(values, "values");
        values = Map.copyOf(values);
    }

    public String get(String name) {
        return values.get(name);
    }

    @Override
    public String toString() {
        return "Credential" + values.keySet() + "[redacted]";
    }
}
