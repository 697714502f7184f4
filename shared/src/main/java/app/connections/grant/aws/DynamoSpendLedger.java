package app.connections.grant.aws;

import static app.connections.platform.aws.Items.n;
import static app.connections.platform.aws.Items.s;

import app.connections.grant.SpendLedger;
import app.connections.platform.Json;
import com.fasterxml.jackson.core.type.TypeReference;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * Spend per grant and UTC month under {@code pk = SPEND#<connectionId>#<workspaceId>#<yyyy-MM>}:
 * the total ({@code sk = TOTAL}: {@code committedMicros} = settled + open reservations,
 * {@code spentMicros} = settled) and one item per reservation ({@code sk = RESERVATION#<uuid>}).
 * A reservation and its increment of the total are one transaction whose condition keeps the
 * total at or under the cap ({@code committedMicros <= cap - amount}, computed here since
 * conditions have no arithmetic), so no interleaving of runs can overspend.
 */
public final class DynamoSpendLedger implements SpendLedger {
    private final DynamoDbClient dynamo;
    private final String table;

    public DynamoSpendLedger(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    private static String partition(String connectionId, String workspaceId, String month) {
        return "SPEND#" + connectionId + "#" + workspaceId + "#" + month;
    }

    @Override
    public Reservation reserve(String connectionId, String workspaceId, String month, long micros, Long capMicros,
                               Instant expiresAt) {
        String pk = partition(connectionId, workspaceId, month);
        String uuid = UUID.randomUUID().toString();
        Map<String, AttributeValue> values = new HashMap<>(Map.of(":x", n(micros), ":zero", n(0)));
        String condition = null;
        if (capMicros != null) {
            if (micros > capMicros) {
                return new Reservation.CapReached();
            }
            values.put(":limit", n(capMicros - micros));
            condition = "attribute_not_exists(committedMicros) OR committedMicros <= :limit";
        }
        String finalCondition = condition;
        TransactWriteItem total = TransactWriteItem.builder().update(u -> {
            u.tableName(table).key(Map.of("pk", s(pk), "sk", s("TOTAL")))
                    .updateExpression("SET spentMicros = if_not_exists(spentMicros, :zero) ADD committedMicros :x")
                    .expressionAttributeValues(values);
            if (finalCondition != null) {
                u.conditionExpression(finalCondition);
            }
        }).build();
        TransactWriteItem reservation = TransactWriteItem.builder().put(p -> p.tableName(table)
                .conditionExpression("attribute_not_exists(pk)")
                .item(Map.of("pk", s(pk), "sk", s("RESERVATION#" + uuid), "type", s("reservation"),
                        "amountMicros", n(micros), "status", s("open"), "expiresAt", n(expiresAt.getEpochSecond()),
                        "ttl", n(expiresAt.getEpochSecond() + 62L * 86_400)))).build();
        try {
            dynamo.transactWriteItems(b -> b.transactItems(total, reservation));
        } catch (TransactionCanceledException e) {
            return new Reservation.CapReached();
        }
        return new Reservation.Reserved(encode(connectionId, workspaceId, month, uuid));
    }

    @Override
    public Settlement settle(String reservationId, long actualMicros, Instant now) {
        Map<String, String> id = decode(reservationId);
        if (id == null) {
            return Settlement.UNKNOWN;
        }
        String pk = partition(id.get("c"), id.get("w"), id.get("m"));
        Map<String, AttributeValue> key = Map.of("pk", s(pk), "sk", s("RESERVATION#" + id.get("r")));
        for (int attempt = 0; attempt < 3; attempt++) {
            var found = dynamo.getItem(b -> b.tableName(table).key(key).consistentRead(true));
            if (!found.hasItem() || found.item().isEmpty()) {
                return Settlement.UNKNOWN;
            }
            String status = found.item().get("status").s();
            if (status.equals("settled")) {
                return Settlement.ALREADY_SETTLED;
            }
            long reserved = Long.parseLong(found.item().get("amountMicros").n());
            // an open reservation still counts in the total; a released one no longer does
            long delta = status.equals("open") ? actualMicros - reserved : actualMicros;
            try {
                dynamo.transactWriteItems(b -> b.transactItems(
                        TransactWriteItem.builder().update(u -> u.tableName(table).key(key)
                                .updateExpression("SET #status = :settled, actualMicros = :a, settledAt = :now")
                                .conditionExpression("#status = :was")
                                .expressionAttributeNames(Map.of("#status", "status"))
                                .expressionAttributeValues(Map.of(":settled", s("settled"), ":a", n(actualMicros),
                                        ":now", s(now.toString()), ":was", s(status)))).build(),
                        TransactWriteItem.builder().update(u -> u.tableName(table).key(Map.of("pk", s(pk), "sk", s("TOTAL")))
                                .updateExpression("ADD committedMicros :d, spentMicros :a")
                                .expressionAttributeValues(Map.of(":d", n(delta), ":a", n(actualMicros)))).build()));
                return Settlement.SETTLED;
            } catch (TransactionCanceledException raced) {
                // settled or released meanwhile: read again
            }
        }
        return Settlement.ALREADY_SETTLED;
    }

    @Override
    public int releaseExpired(String connectionId, String workspaceId, String month, Instant now) {
        String pk = partition(connectionId, workspaceId, month);
        List<Map<String, AttributeValue>> open = dynamo.query(b -> b.tableName(table).consistentRead(true)
                .keyConditionExpression("pk = :pk AND begins_with(sk, :r)")
                .filterExpression("#status = :open AND expiresAt < :now")
                .expressionAttributeNames(Map.of("#status", "status"))
                .expressionAttributeValues(Map.of(":pk", s(pk), ":r", s("RESERVATION#"), ":open", s("open"),
                        ":now", n(now.getEpochSecond())))).items();
        int released = 0;
        for (Map<String, AttributeValue> r : open) {
            try {
                dynamo.transactWriteItems(b -> b.transactItems(
                        TransactWriteItem.builder().update(u -> u.tableName(table).key(Map.of("pk", r.get("pk"), "sk", r.get("sk")))
                                .updateExpression("SET #status = :released")
                                .conditionExpression("#status = :open")
                                .expressionAttributeNames(Map.of("#status", "status"))
                                .expressionAttributeValues(Map.of(":released", s("released"), ":open", s("open")))).build(),
                        TransactWriteItem.builder().update(u -> u.tableName(table).key(Map.of("pk", s(pk), "sk", s("TOTAL")))
                                .updateExpression("ADD committedMicros :minus")
                                .expressionAttributeValues(Map.of(":minus", n(-Long.parseLong(r.get("amountMicros").n()))))).build()));
                released++;
            } catch (TransactionCanceledException settledMeanwhile) {
                // settled or released by someone else: nothing to give back
            }
        }
        return released;
    }

    @Override
    public MonthSpend spend(String connectionId, String workspaceId, String month) {
        var item = dynamo.getItem(b -> b.tableName(table).consistentRead(true)
                .key(Map.of("pk", s(partition(connectionId, workspaceId, month)), "sk", s("TOTAL")))).item();
        if (item == null || item.isEmpty()) {
            return new MonthSpend(0, 0);
        }
        return new MonthSpend(number(item, "spentMicros"), number(item, "committedMicros"));
    }

    @Override
    public boolean firstTimeCapReached(String connectionId, String workspaceId, String month,
                                       app.connections.events.ConnectionEvent event) {
        try {
            dynamo.transactWriteItems(t -> t.transactItems(
                    TransactWriteItem.builder().update(b -> b.tableName(table)
                            .key(Map.of("pk", s(partition(connectionId, workspaceId, month)), "sk", s("TOTAL")))
                            .updateExpression("SET capReachedNotified = :t")
                            .conditionExpression("attribute_not_exists(capReachedNotified)")
                            .expressionAttributeValues(Map.of(":t", AttributeValue.fromBool(true)))).build(),
                    app.connections.events.aws.OutboxItems.put(table, event, java.time.Instant.now())));
            return true;
        } catch (software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException already) {
            return false;
        }
    }

    private static long number(Map<String, AttributeValue> item, String name) {
        AttributeValue v = item.get(name);
        return v == null || v.n() == null ? 0 : Long.parseLong(v.n());
    }

    /** The reservation id names where it lives (opaque to callers; the random part makes it unguessable). */
    private static String encode(String connectionId, String workspaceId, String month, String uuid) {
        try {
            return Base64.getUrlEncoder().withoutPadding().encodeToString(Json.MAPPER.writeValueAsBytes(
                    Map.of("c", connectionId, "w", workspaceId, "m", month, "r", uuid)));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, String> decode(String reservationId) {
        try {
            Map<String, String> id = Json.MAPPER.readValue(Base64.getUrlDecoder().decode(reservationId),
                    new TypeReference<Map<String, String>>() { });
            return id != null && id.keySet().equals(java.util.Set.of("c", "w", "m", "r")) ? id : null;
        } catch (IllegalArgumentException | java.io.IOException e) {
            return null;
        }
    }
}
