package app.connections.events;

import java.util.List;
import java.util.Set;

/** Port: the bus the outbox delivers to. */
public interface EventBus {
    /** The most entries one {@link #publish} call takes (EventBridge's PutEvents limit). */
    int MAX_BATCH = 10;

    /** Puts up to {@link #MAX_BATCH} events; returns the ids of those the bus did not take (each with a reason logged by the caller). */
    Set<String> publish(List<OutboxEvent> events);
}
