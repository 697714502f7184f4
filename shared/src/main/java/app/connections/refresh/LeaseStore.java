package app.connections.refresh;

import java.time.Duration;
import java.time.Instant;

/**
 * Port: one refresh at a time per connection. A lease is taken with a conditional write (owner and
 * expiry) and released by its owner; a crashed owner's lease simply expires.
 */
public interface LeaseStore {
    /** True when {@code owner} now holds the connection's lease until {@code now + ttl}. */
    boolean acquire(String connectionId, String owner, Duration ttl, Instant now);

    /** Whether anyone holds the connection's lease at {@code now} (a lease past its expiry is held by no one). */
    boolean held(String connectionId, Instant now);

    /** Gives the lease up, only if {@code owner} still holds it. */
    void release(String connectionId, String owner);
}
