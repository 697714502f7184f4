package app.connections.connection;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * An OAuth connection's access-token timetable, as the refresher sees it.
 *
 * @param expiresAt when the current access token expires
 * @param refreshable whether a refresh token was granted (no automatic refresh otherwise)
 * @param refreshedAt the last successful refresh, if any
 * @param failedAttempts consecutive transient refresh failures
 * @param retryAt not before this time after a transient failure (backoff, Retry-After)
 */
public record TokenSchedule(Instant expiresAt, boolean refreshable, Optional<Instant> refreshedAt, int failedAttempts,
                            Optional<Instant> retryAt) {
    public TokenSchedule {
        Objects.requireNonNull(expiresAt, "expiresAt");
        Objects.requireNonNull(refreshedAt, "refreshedAt");
        Objects.requireNonNull(retryAt, "retryAt");
        if (failedAttempts < 0) {
            throw new IllegalArgumentException("failedAttempts must not be negative");
        }
    }

    public static TokenSchedule granted(Instant expiresAt, boolean refreshable) {
        return new TokenSchedule(expiresAt, refreshable, Optional.empty(), 0, Optional.empty());
    }

    /** A successful refresh: the new expiry, no failures pending. */
    public TokenSchedule refreshed(Instant newExpiry, Instant now) {
        return new TokenSchedule(newExpiry, refreshable, Optional.of(now), 0, Optional.empty());
    }

    /** A transient failure: one more attempt counted, not retried before {@code retry}. */
    public TokenSchedule failed(Instant retry) {
        return new TokenSchedule(expiresAt, refreshable, refreshedAt, failedAttempts + 1, Optional.of(retry));
    }

    /** Whether the refresher should refresh now: refreshable, expiring within the lead, not backing off. */
    public boolean dueAt(Instant now, java.time.Duration lead) {
        return refreshable && !expiresAt.isAfter(now.plus(lead)) && retryAt.map(r -> !r.isAfter(now)).orElse(true);
    }
}
