package app.connections.vault;

import java.util.Objects;

/**
 * Where a connection's secret lives (a Secrets Manager ARN or name). Never leaves the service:
 * responses carry public fields only.
 */
public record SecretRef(String id) {
    public SecretRef {
        Objects.requireNonNull(id, "id");
        if (id.isBlank()) {
            throw new IllegalArgumentException("secret reference is blank");
        }
    }

    @Override
    public String toString() {
        return "SecretRef[redacted]";
    }
}
