package app.connections.connection;

import java.time.Instant;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * What is still to do after a connection was revoked, committed with the REVOKED write and kept
 * until done: each step is recorded when it is done, so a crash or timeout resumes where it
 * stopped. {@code attempts} counts the attempts that failed; {@code nextAttemptAt} is when the
 * retry job takes it up again; {@code revokedAt} when the work began (the pending revocations' age).
 */
public record RevocationWork(String connectionId, Set<Step> done, int attempts, Instant nextAttemptAt,
                             java.util.Optional<Instant> revokedAt) {
    /** The steps, in order. */
    public enum Step {
        /** The refresh token revoked at the provider (or nothing to revoke there). */
        REFRESH_TOKEN_REVOKED,
        /** The access token revoked at the provider (or nothing to revoke there). */
        ACCESS_TOKEN_REVOKED,
        /** The secret scheduled for deletion: the work is finished. */
        DELETION_SCHEDULED
    }

    /** Work recorded before it carried its start ({@code revokedAt} unknown). */
    public RevocationWork(String connectionId, Set<Step> done, int attempts, Instant nextAttemptAt) {
        this(connectionId, done, attempts, nextAttemptAt, java.util.Optional.empty());
    }

    public RevocationWork {
        Objects.requireNonNull(connectionId, "connectionId");
        Objects.requireNonNull(nextAttemptAt, "nextAttemptAt");
        Objects.requireNonNull(revokedAt, "revokedAt");
        done = done.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(done));
        if (attempts < 0) {
            throw new IllegalArgumentException("attempts must not be negative");
        }
    }

    public static RevocationWork start(String connectionId, Instant now) {
        return new RevocationWork(connectionId, Set.of(), 0, now, java.util.Optional.of(now));
    }

    public boolean isDone(Step step) {
        return done.contains(step);
    }

    public RevocationWork with(Step step) {
        EnumSet<Step> more = done.isEmpty() ? EnumSet.noneOf(Step.class) : EnumSet.copyOf(done);
        more.add(step);
        return new RevocationWork(connectionId, more, attempts, nextAttemptAt, revokedAt);
    }

    /** One more failed attempt, the next one at {@code next}. */
    public RevocationWork failed(Instant next) {
        return new RevocationWork(connectionId, done, attempts + 1, next, revokedAt);
    }
}
