package app.connections.connection.lifecycle;

import app.connections.connection.RevocationWork;
import app.connections.events.ConnectionEvent;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Port: the work left after revokes (no secret here: the tokens stay in the vault until done). The
 * work is first written with the REVOKED write ({@code ConnectionStore.revoke}); here it is read,
 * recorded step by step, and removed when done.
 */
public interface PendingRevocations {
    Optional<RevocationWork> find(String connectionId);

    /** Records the work as it now stands (a step done, or an attempt failed). */
    void save(RevocationWork work);

    /** Records the work as given up at the provider and commits {@code event} with that record. */
    void giveUp(RevocationWork work, ConnectionEvent event);

    /** Work whose next attempt is due, spread over the shards, the longest waiting first; at most {@code limit}. */
    List<RevocationWork> due(Instant now, int limit);

    void remove(String connectionId);
}
