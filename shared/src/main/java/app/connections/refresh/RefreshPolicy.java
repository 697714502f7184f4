package app.connections.refresh;

import java.time.Duration;

/**
 * @param lead refresh tokens expiring within this window (default 15 minutes)
 * @param leaseTtl how long a refresher holds a connection (longer than one refresh takes)
 * @param maxTransientAttempts transient failures tolerated once the token has expired, before ERROR
 * @param backoffBase first backoff after a transient failure; doubles per attempt
 * @param backoffCap the longest backoff
 * @param secretWriteAttempts how often the new tokens' vault write is tried (each try also retried by the SDK)
 *        before the refresh gives up on them, within the lease
 * @param secretWriteBackoff the wait before the second try; doubles per try
 */
public record RefreshPolicy(Duration lead, Duration leaseTtl, int maxTransientAttempts, Duration backoffBase,
                            Duration backoffCap, int secretWriteAttempts, Duration secretWriteBackoff) {
    public static RefreshPolicy defaults(Duration lead) {
        return new RefreshPolicy(lead, Duration.ofSeconds(60), 5, Duration.ofSeconds(30), Duration.ofMinutes(30),
                3, Duration.ofSeconds(1));
    }

    /** The wait before attempt {@code attempts + 1}. */
    public Duration backoff(int attempts) {
        long factor = 1L << Math.min(20, Math.max(0, attempts - 1));
        Duration d = backoffBase.multipliedBy(factor);
        return d.compareTo(backoffCap) > 0 ? backoffCap : d;
    }
}
