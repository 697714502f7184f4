package app.connections.refresh;

import app.connections.connection.RevocationWork;
import app.connections.connection.lifecycle.PendingRevocations;
import app.connections.events.ConnectionEvent;
import app.connections.platform.Metric;
import app.connections.platform.Metrics;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The pending provider revocations, measured each time the scheduled refresher asks which are due:
 * how many ({@link Metric#PENDING_REVOCATIONS}, at most the query's limit) and the oldest's age
 * ({@link Metric#PENDING_REVOCATION_AGE}): since its revoke, which the work records. Work recorded
 * before it did so gets a lower bound: the backoff it went through (after {@code n} failed attempts
 * 2^n − 1 minutes) plus how long it has been due.
 */
public final class MeteredPendingRevocations implements PendingRevocations {
    private final PendingRevocations pending;
    private final Metrics metrics;
    private final Clock clock;

    public MeteredPendingRevocations(PendingRevocations pending, Metrics metrics, Clock clock) {
        this.pending = pending;
        this.metrics = metrics;
        this.clock = clock;
    }

    @Override
    public java.util.Optional<RevocationWork> find(String connectionId) {
        return pending.find(connectionId);
    }

    @Override
    public void save(RevocationWork work) {
        pending.save(work);
    }

    @Override
    public void giveUp(RevocationWork work, ConnectionEvent event) {
        pending.giveUp(work, event);
        metrics.count(Metric.REVOCATIONS_GIVEN_UP);
    }

    @Override
    public List<RevocationWork> due(Instant now, int limit) {
        List<RevocationWork> due = pending.due(now, limit);
        metrics.record(Metric.PENDING_REVOCATIONS, due.size());
        Duration oldest = due.stream().map(p -> age(p, clock.instant())).max(Duration::compareTo).orElse(Duration.ZERO);
        metrics.timing(Metric.PENDING_REVOCATION_AGE, oldest);
        return due;
    }

    /** Since the connection was revoked; for work recorded without its start, a lower bound. */
    static Duration age(RevocationWork p, Instant now) {
        if (p.revokedAt().isPresent()) {
            Duration since = Duration.between(p.revokedAt().get(), now);
            return since.isNegative() ? Duration.ZERO : since;
        }
        long backoffMinutes = 0;
        for (int attempt = 0; attempt < p.attempts(); attempt++) {
            backoffMinutes += 1L << Math.min(attempt, 10);
        }
        Duration overdue = Duration.between(p.nextAttemptAt(), now);
        return Duration.ofMinutes(backoffMinutes).plus(overdue.isNegative() ? Duration.ZERO : overdue);
    }

    @Override
    public void remove(String connectionId) {
        pending.remove(connectionId);
    }
}
