package app.connections.events.aws;

import static app.connections.platform.aws.Items.n;
import static app.connections.platform.aws.Items.s;

import app.connections.events.ConnectionEvent;
import app.connections.platform.Json;
import com.fasterxml.jackson.core.JsonProcessingException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

/**
 * The outbox item: an event committed in the same transaction as the state change that implies it
 * ({@code pk = OUTBOX#<eventId>, sk = OUTBOX}, {@code type = outbox}, detail-type, detail JSON,
 * createdAt, a {@code ttl} of {@value #KEEP_DAYS} days). The table's stream hands every new one
 * (an INSERT; the template's filter) to the outbox function, which puts it on the bus. A write
 * retried with the same event id writes the same item again: a MODIFY, never a second delivery.
 */
public final class OutboxItems {
    public static final String TYPE = "outbox";
    public static final int KEEP_DAYS = 3;

    private OutboxItems() {
    }

    public static Map<String, AttributeValue> key(String eventId) {
        return Map.of("pk", s("OUTBOX#" + eventId), "sk", s("OUTBOX"));
    }

    public static Map<String, AttributeValue> item(ConnectionEvent event, Instant now) {
        String detail;
        try {
            detail = Json.MAPPER.writeValueAsString(event.detail());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise event " + event.detailType(), e);
        }
        return Map.of("pk", s("OUTBOX#" + event.id()), "sk", s("OUTBOX"), "type", s(TYPE), "eventId", s(event.id()),
                "detailType", s(event.detailType()), "detail", s(detail), "createdAt", s(now.toString()),
                "ttl", n(now.plus(Duration.ofDays(KEEP_DAYS)).getEpochSecond()));
    }

    /** The outbox item's put, for the transaction of the write that makes the event true. */
    public static TransactWriteItem put(String table, ConnectionEvent event, Instant now) {
        return TransactWriteItem.builder().put(p -> p.tableName(table).item(item(event, now))).build();
    }
}
