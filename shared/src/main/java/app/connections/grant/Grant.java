package app.connections.grant;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * An account-scoped connection bound to one workspace, with an optional monthly spend cap
 * (UTC calendar months) in micro-dollars.
 */
public record Grant(String connectionId, String accountId, String workspaceId, Optional<Long> capMicros,
                    Instant createdAt, Instant updatedAt) {
    public Grant {
        Objects.requireNonNull(connectionId, "connectionId");
        Objects.requireNonNull(accountId, "accountId");
        Objects.requireNonNull(workspaceId, "workspaceId");
        Objects.requireNonNull(capMicros, "capMicros");
        capMicros.ifPresent(c -> {
            if (c < 0) {
                throw new IllegalArgumentException("a cap is not negative");
            }
        });
    }
}
