package app.connections.events;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Something that happened, as published on the bus. {@code detail} carries ids, app, status, reason
 * and time — never secret material (see the JSON Schemas in {@code events/schemas}) — and the event's
 * stable {@code eventId}, which consumers deduplicate on: the outbox delivers at least once.
 *
 * <p>Events are never published directly: the write that makes them true commits them with it (the
 * store's outbox item), and the outbox function delivers them from the table's stream.
 */
public record ConnectionEvent(String id, String detailType, Map<String, Object> detail) {
    public static final String CREATED = "Connection Created";
    public static final String REVOKED = "Connection Revoked";
    public static final String REAUTHORIZED = "Connection Reauthorized";
    public static final String REAUTHORIZATION_REQUIRED = "Connection Reauthorization Required";
    public static final String REVOCATION_FAILED = "Connection Revocation Failed";

    public ConnectionEvent {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(detailType, "detailType");
        if (id.isBlank() || id.length() > 256) {
            throw new IllegalArgumentException("an event id is 1 to 256 characters");
        }
        Map<String, Object> withId = new LinkedHashMap<>();
        withId.put("eventId", id);
        detail.forEach((k, v) -> {
            if (!k.equals("eventId")) {
                withId.put(k, v);
            }
        });
        detail = java.util.Collections.unmodifiableMap(withId);
    }
}
