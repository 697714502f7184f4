package app.connections.connection.lifecycle;

import app.connections.connection.Connection;
import app.connections.connection.ConnectionEvents;
import app.connections.events.ConnectionEvent;
import app.connections.events.EventPublisher;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A connection came back from ERROR: publish {@code Connection Reauthorized} with the runs that
 * were waiting on it, so the runtime resumes them, and clear the list. Called only by the writer
 * that won the ERROR→ACTIVE transition (a version-checked write), so it happens once.
 */
public final class Reauthorizations {
    private final ParkedRuns parked;
    private final EventPublisher events;

    public Reauthorizations(ParkedRuns parked, EventPublisher events) {
        this.parked = parked;
        this.events = events;
    }

    public void announce(Connection reactivated, Instant now) {
        List<ParkedRun> runs = parked.takeAll(reactivated.id());
        ConnectionEvent base = ConnectionEvents.of(ConnectionEvent.REAUTHORIZED, reactivated, "reconnected", now);
        Map<String, Object> detail = new LinkedHashMap<>(base.detail());
        detail.put("parkedRuns", runs.stream().map(r -> Map.of("runId", r.runId(), "stepId", r.stepId())).toList());
        events.publish(new ConnectionEvent(base.detailType(), detail));
    }
}
