package app.connections.connection.lifecycle;

import app.connections.connection.Connection;
import app.connections.connection.ConnectionEvents;
import app.connections.events.ConnectionEvent;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A connection comes back from ERROR: {@code Connection Reauthorized}, with the runs that were
 * waiting on it so the runtime resumes them, is committed with the ERROR→ACTIVE write (a
 * version-checked write, so it happens once); once it is committed, those runs are taken off the
 * connection. A run parked after the runs were read stays parked for the next reauthorization.
 */
public final class Reauthorizations {
    private static final Logger LOG = LoggerFactory.getLogger(Reauthorizations.class);
    private final ParkedRuns parked;

    public Reauthorizations(ParkedRuns parked) {
        this.parked = parked;
    }

    /** The event of the write that takes {@code toWrite} out of ERROR, and the runs it resumes. */
    public Announcement announcement(Connection toWrite, Instant now) {
        List<ParkedRun> runs = parked.of(toWrite.id());
        ConnectionEvent base = ConnectionEvents.of(ConnectionEvent.REAUTHORIZED, toWrite, "reconnected", now);
        Map<String, Object> detail = new LinkedHashMap<>(base.detail());
        detail.put("parkedRuns", runs.stream().map(r -> Map.of("runId", r.runId(), "stepId", r.stepId())).toList());
        return new Announcement(new ConnectionEvent(base.id(), base.detailType(), detail), runs, toWrite.id());
    }

    /** After the write committed the event: its runs are resumed by it, so they leave the connection. */
    public void announced(Announcement a) {
        try {
            parked.remove(a.connectionId(), a.runs());
        } catch (RuntimeException e) {
            // the event is out; a run left parked is resumed again by a later reauthorization (the runtime dedupes by run)
            LOG.warn("parked runs of connection {} were resumed but not removed: {}", a.connectionId(), e.toString());
        }
    }

    /** A {@code Connection Reauthorized} event and the parked runs it resumes. */
    public record Announcement(ConnectionEvent event, List<ParkedRun> runs, String connectionId) {
    }
}
