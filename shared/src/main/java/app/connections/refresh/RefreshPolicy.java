package app.connections.refresh;

import app.connections.connection.RefreshTiming;
import java.time.Duration;
import java.util.Objects;

/**
 * How refreshes are made (README, "Refresh policy").
 *
 * @param timing when a token is due: its lead, the scheduler's period, the refresh-token keep-alive
 * @param minInterval the per-connection rate guard: no connection is refreshed twice within this
 *        interval, however it is asked (REFRESH_MIN_INTERVAL_SECONDS, default 10 s)
 * @param leaseTtl how long a refresher holds a connection (longer than one refresh takes)
 * @param peerWait how long a resolve or rotation waits for the lease holder's refresh before answering
 * @param maxTransientAttempts transient failures tolerated once the token has expired, before ERROR
 * @param backoffBase first backoff after a transient failure; doubles per attempt
 * @param backoffCap the longest backoff
 * @param secretWriteAttempts how often the new tokens' vault write is tried (each try also retried by the SDK)
 *        before the refresh gives up on them, within the lease
 * @param secretWriteBackoff the wait before the second try; doubles per try
 */
public record RefreshPolicy(RefreshTiming timing, Duration minInterval, Duration leaseTtl, Duration peerWait,
                            int maxTransientAttempts, Duration backoffBase, Duration backoffCap, int secretWriteAttempts,
                            Duration secretWriteBackoff) {
    public RefreshPolicy {
        Objects.requireNonNull(timing, "timing");
        if (minInterval.isNegative() || minInterval.compareTo(timing.period()) >= 0) {
            throw new IllegalArgumentException("the minimum refresh interval must be shorter than the scheduler's period");
        }
        if (maxTransientAttempts < 1 || secretWriteAttempts < 1) {
            throw new IllegalArgumentException("attempt counts must be at least 1");
        }
    }

    public static RefreshPolicy defaults(RefreshTiming timing, Duration minInterval) {
        return new RefreshPolicy(timing, minInterval, Duration.ofSeconds(60), Duration.ofSeconds(10), 5,
                Duration.ofSeconds(30), Duration.ofMinutes(30), 3, Duration.ofSeconds(1));
    }

    /** The wait before attempt {@code attempts + 1}: 30 s, doubling, at most 30 minutes. */
    public Duration backoff(int attempts) {
        long factor = 1L << Math.min(20, Math.max(0, attempts - 1));
        Duration d = backoffBase.multipliedBy(factor);
        return d.compareTo(backoffCap) > 0 ? backoffCap : d;
    }
}
