package app.connections.connection;

import java.time.Instant;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * What is still to do after a connection was revoked, committed with the REVOKED write and kept
 * until done: each step is recorded when it is done, so a crash or timeout resumes where it
 * stopped. {@code attempts} counts the attempts that failed; {@code nextAttemptAt} is when the
 * retry job takes it up again.
 */
public record RevocationWork(String connectionId, Set<Step> done, int attempts, Instant nextAttemptAt) {
    /** The steps, in order. */
    public enum Step {
        /** The refresh token revoked at the provider (or nothing to revoke there). */
        REFRESH_TOKEN_REVOKED,
        /** The access token revoked at the provider (or nothing to revoke there). */
        ACCESS_TOKEN_REVOKED,
        /** The secret scheduled for deletion: the work is finished. */
        DELETION_SCHEDULED
    }

    public RevocationWork {
        Objects.requireNonNull(connectionId, "connectionId");
        Objects.requireNonNull(nextAttemptAt, "nextAttemptAt");
        done = done.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(done));
        if (attempts < 0) {
            throw new IllegalArgumentException("attempts must not be negative");
        }
    }

    public static RevocationWork start(String connectionId, Instant now) {
        return new RevocationWork(connectionId, Set.of(), 0, now);
    }

    public boolean isDone(Step step) {
        return done.contains(step);
    }

    public RevocationWork with(Step step) {
        EnumSet<Step> more = done.isEmpty() ? EnumSet.noneOf(Step.class) : EnumSet.copyOf(done);
        more.add(step);
        return new RevocationWork(connectionId, more, attempts, nextAttemptAt);
    }

    /** One more failed attempt, the next one at {@code next}. */
    public RevocationWork failed(Instant next) {
        return new RevocationWork(connectionId, done, attempts + 1, next);
    }
}
