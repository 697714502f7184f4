package app.connections.connection.lifecycle;

import java.time.Instant;
import java.util.List;

/** Port: runs parked on a connection until it is healthy again. */
public interface ParkedRuns {
    /** Parks the step on the connection (parking the same step again changes nothing). */
    void park(String connectionId, ParkedRun run, Instant now);

    /** The runs parked on the connection now (nothing taken). */
    List<ParkedRun> of(String connectionId);

    /** Takes these runs off the connection (those already gone are skipped). */
    void remove(String connectionId, List<ParkedRun> runs);

    /** Takes every parked run off the connection and returns them (each returned once). */
    List<ParkedRun> takeAll(String connectionId);
}
