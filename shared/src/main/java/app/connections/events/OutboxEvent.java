package app.connections.events;

import java.time.Instant;
import java.util.Objects;

/**
 * An event as the outbox holds it between the write that committed it and its delivery: its id,
 * detail-type, detail (JSON, with the id in it), when it was written, and when the table's stream
 * saw it (the delivery's lag is measured from that).
 */
public record OutboxEvent(String id, String detailType, String detailJson, Instant createdAt, Instant streamedAt) {
    public OutboxEvent {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(detailType, "detailType");
        Objects.requireNonNull(detailJson, "detailJson");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(streamedAt, "streamedAt");
    }
}
