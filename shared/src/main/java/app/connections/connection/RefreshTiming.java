package app.connections.connection;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * When an OAuth access token is refreshed, defined for every lifetime a provider grants (README,
 * "Refresh policy"):
 * <ul>
 *   <li>The <b>lead</b> of a token is the smaller of the configured lead and half the lifetime the
 *   provider granted, so a token just issued is never due, whatever its lifetime: a 30-second token
 *   is due after 15 s, a one-hour token 15 minutes before it expires.</li>
 *   <li>A token whose lead is longer than the scheduler's period is refreshed by the scheduled
 *   refresher before it expires. A shorter-lived one is refreshed on demand by the resolver, when
 *   a run needs it; the scheduled refresher only keeps its refresh token alive, once per
 *   {@code keepAlive}.</li>
 *   <li>A token without a known lifetime (no {@code expires_in} and no lifetime assumed by the
 *   catalog) is treated as non-expiring until the runtime reports it rejected; its refresh token is
 *   kept alive the same way.</li>
 * </ul>
 *
 * @param lead the longest lead (REFRESH_LEAD_MINUTES)
 * @param period how often the scheduled refresher runs (REFRESH_PERIOD_MINUTES, the template's schedule)
 * @param keepAlive how long a refresh token may go unused before the scheduled refresher uses it
 *        (REFRESH_KEEPALIVE_HOURS)
 */
public record RefreshTiming(Duration lead, Duration period, Duration keepAlive) {
    /** The defaults of the template (15 minutes lead, a 5-minute schedule, a daily keep-alive). */
    public static final RefreshTiming DEFAULT = new RefreshTiming(Duration.ofMinutes(15), Duration.ofMinutes(5),
            Duration.ofHours(24));

    public RefreshTiming {
        Objects.requireNonNull(lead, "lead");
        Objects.requireNonNull(period, "period");
        Objects.requireNonNull(keepAlive, "keepAlive");
        if (lead.isNegative() || lead.isZero() || period.isNegative() || period.isZero()) {
            throw new IllegalArgumentException("the refresh lead and period must be positive");
        }
        if (keepAlive.compareTo(period) < 0) {
            throw new IllegalArgumentException("the refresh-token keep-alive must be at least the scheduler's period");
        }
    }

    /** The schedule of tokens just granted at {@code issuedAt}. */
    public TokenSchedule granted(Optional<Instant> expiresAt, boolean refreshable, Instant issuedAt) {
        return schedule(expiresAt, issuedAt, refreshable, Optional.empty());
    }

    /** The schedule after a successful refresh at {@code now}: new lifetime, no failure pending. */
    public TokenSchedule refreshed(TokenSchedule before, Optional<Instant> expiresAt, Instant now) {
        return schedule(expiresAt, now, before.refreshable(), Optional.of(now));
    }

    private TokenSchedule schedule(Optional<Instant> expiresAt, Instant issuedAt, boolean refreshable,
                                   Optional<Instant> refreshedAt) {
        Optional<Instant> dueAt = expiresAt.map(e -> e.minus(leadFor(issuedAt, e)));
        Instant keepAliveAt = issuedAt.plus(keepAlive);
        // scheduled when the refresher's next run surely comes before expiry; otherwise on demand + keep-alive
        Instant sweepAt = expiresAt.filter(e -> leadFor(issuedAt, e).compareTo(period) > 0)
                .map(e -> dueAt.orElseThrow())
                .orElse(keepAliveAt);
        return new TokenSchedule(expiresAt, issuedAt, refreshable, refreshedAt, 0, Optional.empty(), dueAt, sweepAt);
    }

    /** The lead of a token issued at {@code issuedAt} that expires at {@code expiresAt}. */
    public Duration leadFor(Instant issuedAt, Instant expiresAt) {
        Duration lifetime = Duration.between(issuedAt, expiresAt);
        if (lifetime.isNegative()) {
            return Duration.ZERO; // issued already expired: due at once (expiry itself)
        }
        Duration half = lifetime.dividedBy(2);
        return half.compareTo(lead) < 0 ? half : lead;
    }
}
