package app.connections.connection;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * An OAuth connection's access-token timetable, made by {@link RefreshTiming} from the lifetime
 * the provider granted.
 *
 * @param expiresAt when the current access token expires; empty when the provider gave no lifetime
 *        and the catalog assumes none (non-expiring until the runtime reports it rejected)
 * @param issuedAt when the current access token was granted
 * @param refreshable whether a refresh token was granted (no automatic refresh otherwise)
 * @param refreshedAt the last successful refresh, if any
 * @param failedAttempts consecutive transient refresh failures
 * @param retryAt not before this time after a transient failure (backoff, Retry-After)
 * @param dueAt from this time a resolve refreshes before it answers (expiry minus the token's lead)
 * @param sweepAt when the scheduled refresher takes the connection up: {@code dueAt} for tokens that
 *        live long enough for the schedule, else the refresh token's keep-alive time
 */
public record TokenSchedule(Optional<Instant> expiresAt, Instant issuedAt, boolean refreshable,
                            Optional<Instant> refreshedAt, int failedAttempts, Optional<Instant> retryAt,
                            Optional<Instant> dueAt, Instant sweepAt) {
    public TokenSchedule {
        Objects.requireNonNull(expiresAt, "expiresAt");
        Objects.requireNonNull(issuedAt, "issuedAt");
        Objects.requireNonNull(refreshedAt, "refreshedAt");
        Objects.requireNonNull(retryAt, "retryAt");
        Objects.requireNonNull(dueAt, "dueAt");
        Objects.requireNonNull(sweepAt, "sweepAt");
        if (failedAttempts < 0) {
            throw new IllegalArgumentException("failedAttempts must not be negative");
        }
        if (dueAt.isPresent() != expiresAt.isPresent()) {
            throw new IllegalArgumentException("a token is due before its expiry, and only then");
        }
    }

    /** A transient failure: one more attempt counted, not retried before {@code retry}. */
    public TokenSchedule failed(Instant retry) {
        return new TokenSchedule(expiresAt, issuedAt, refreshable, refreshedAt, failedAttempts + 1, Optional.of(retry),
                dueAt, sweepAt);
    }

    /** Whether a resolve should refresh before answering: refreshable, inside the token's lead, not backing off. */
    public boolean dueForUse(Instant now) {
        return refreshable && dueAt.map(d -> !d.isAfter(now)).orElse(false) && !backingOff(now);
    }

    /** Whether the scheduled refresher should refresh now (due, or the refresh token's keep-alive), not backing off. */
    public boolean dueForSweep(Instant now) {
        return refreshable && !sweepAt.isAfter(now) && !backingOff(now);
    }

    /**
     * Whether spare refresh capacity may renew it early: refreshable, renewed by the schedule before
     * it expires (not a short-lived token the resolver renews on use, whose sweep is only its
     * keep-alive), expiring within {@code window}, not backing off, and at least half its lifetime
     * old (a token is never renewed in its first half).
     */
    public boolean dueForLookAhead(Instant now, Duration window) {
        boolean scheduledByExpiry = dueAt.isPresent() && sweepAt.equals(dueAt.get());
        if (!refreshable || !scheduledByExpiry || backingOff(now) || expiresAt.get().isAfter(now.plus(window))) {
            return false;
        }
        Duration lifetime = Duration.between(issuedAt, expiresAt.get());
        return !issuedAt.plus(lifetime.dividedBy(2)).isAfter(now);
    }

    /** When the scheduled refresher should next look at it: the sweep time, or later while backing off. */
    public Instant nextSweep() {
        return retryAt.filter(r -> r.isAfter(sweepAt)).orElse(sweepAt);
    }

    public boolean backingOff(Instant now) {
        return retryAt.map(r -> r.isAfter(now)).orElse(false);
    }

    /** Whether the access token has expired (never, for a token without a known lifetime). */
    public boolean expired(Instant now) {
        return expiresAt.map(e -> !e.isAfter(now)).orElse(false);
    }
}
