package app.connections.connection.lifecycle;

import java.time.Instant;
import java.util.List;

/** Port: provider revocations still to do (no secret here: the tokens stay in the vault until done). */
public interface PendingRevocations {
    record Pending(String connectionId, int attempts, Instant nextAttemptAt) {
    }

    void put(Pending pending);

    /** Pending revocations whose next attempt is due. */
    List<Pending> due(Instant now, int limit);

    void remove(String connectionId);
}
