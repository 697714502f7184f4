package app.connections.events;

import java.util.Map;
import java.util.Objects;

/**
 * Something that happened to a connection, as published on the bus. {@code detail} carries ids,
 * app, status, reason and time — never secret material (see the JSON Schemas in {@code events/}).
 */
public record ConnectionEvent(String detailType, Map<String, Object> detail) {
    public static final String CREATED = "Connection Created";
    public static final String REVOKED = "Connection Revoked";
    public static final String REAUTHORIZED = "Connection Reauthorized";
    public static final String REAUTHORIZATION_REQUIRED = "Connection Reauthorization Required";

    public ConnectionEvent {
        Objects.requireNonNull(detailType, "detailType");
        detail = Map.copyOf(detail);
    }
}
