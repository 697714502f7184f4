package app.connections.grant.aws;

import static app.connections.platform.aws.Items.n;
import static app.connections.platform.aws.Items.s;

import app.connections.grant.SpendLedger;
import app.connections.platform.Json;
import app.connections.platform.logging.LogFields;
import com.fasterxml.jackson.core.type.TypeReference;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
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
 *
 * <p>On DynamoDB a transaction is also cancelled when it conflicts with another one on the same
 * item ({@code TransactionConflict}), which says nothing about the cap: only a failed condition on
 * the total is "cap reached"; conflicts are retried with jitter, {@value #ATTEMPTS} attempts at most.
 * Expired reservations are found page by page ({@value #PAGE_ITEMS} per query), each marked released
 * by a conditional write, and their sum taken off the total every {@value #PER_TOTAL_UPDATE}.
 */
public final class DynamoSpendLedger implements SpendLedger {
    private static final Logger LOG = LoggerFactory.getLogger(DynamoSpendLedger.class);
    private static final String CONDITION_FAILED = "ConditionalCheckFailed";
    /** Attempts of one transaction that keeps conflicting with concurrent ones. */
    static final int ATTEMPTS = 5;
    /** Reservations read per query page, and pages read per release (then the next call goes on). */
    static final int PAGE_ITEMS = 1_000;
    static final int MAX_PAGES = 100;
    /** Expired reservations marked released before their sum is taken off the total. */
    static final int PER_TOTAL_UPDATE = 100;
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
        for (int attempt = 1; ; attempt++) {
            String uuid = UUID.randomUUID().toString();
            TransactWriteItem reservation = TransactWriteItem.builder().put(p -> p.tableName(table)
                    .conditionExpression("attribute_not_exists(pk)")
                    .item(Map.of("pk", s(pk), "sk", s("RESERVATION#" + uuid), "type", s("reservation"),
                            "amountMicros", n(micros), "status", s("open"), "expiresAt", n(expiresAt.getEpochSecond()),
                            "ttl", n(expiresAt.getEpochSecond() + 62L * 86_400)))).build();
            try {
                dynamo.transactWriteItems(b -> b.transactItems(total, reservation));
                return new Reservation.Reserved(encode(connectionId, workspaceId, month, uuid));
            } catch (TransactionCanceledException e) {
                if (CONDITION_FAILED.equals(reason(e, 0))) {
                    return new Reservation.CapReached(); // the total's cap condition, and only it
                }
                if (attempt == ATTEMPTS) {
                    LOG.atError().addKeyValue(LogFields.CONNECTION_ID, connectionId).addKeyValue(LogFields.WORKSPACE_ID, workspaceId)
                            .log("spend reservation not written after {} attempts ({})", attempt, reasons(e));
                    throw new ReservationContended("spend reservation not written after " + attempt + " attempts: " + reasons(e));
                }
                // a conflict with a concurrent transaction on the total (or, never in practice, a reservation id taken)
                LOG.atDebug().addKeyValue(LogFields.CONNECTION_ID, connectionId).log("spend reservation retried ({})", reasons(e));
                pause(attempt);
            }
        }
    }

    @Override
    public boolean release(String reservationId) {
        Map<String, String> id = decode(reservationId);
        if (id == null) {
            return false;
        }
        String pk = partition(id.get("c"), id.get("w"), id.get("m"));
        Map<String, AttributeValue> key = Map.of("pk", s(pk), "sk", s("RESERVATION#" + id.get("r")));
        var found = dynamo.getItem(b -> b.tableName(table).key(key).consistentRead(true));
        if (!found.hasItem() || found.item().isEmpty() || !"open".equals(found.item().get("status").s())) {
            return false;
        }
        return releaseAll(pk, List.of(found.item())) == 1;
    }

    @Override
    public Settlement settle(String reservationId, long actualMicros, Instant now) {
        Map<String, String> id = decode(reservationId);
        if (id == null) {
            return Settlement.UNKNOWN;
        }
        String pk = partition(id.get("c"), id.get("w"), id.get("m"));
        Map<String, AttributeValue> key = Map.of("pk", s(pk), "sk", s("RESERVATION#" + id.get("r")));
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
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
                // settled or released meanwhile (read again), or a conflict with a concurrent transaction (wait a little first)
                if (!CONDITION_FAILED.equals(reason(raced, 0))) {
                    pause(attempt);
                }
            }
        }
        throw new ReservationContended("settlement not written after " + ATTEMPTS + " attempts");
    }

    @Override
    public int releaseExpired(String connectionId, String workspaceId, String month, Instant now) {
        String pk = partition(connectionId, workspaceId, month);
        int released = 0;
        Map<String, AttributeValue> from = null;
        for (int page = 0; page < MAX_PAGES; page++) {
            Map<String, AttributeValue> start = from;
            var answer = dynamo.query(b -> b.tableName(table).consistentRead(true).limit(PAGE_ITEMS)
                    .keyConditionExpression("pk = :pk AND begins_with(sk, :r)")
                    .filterExpression("#status = :open AND expiresAt < :now")
                    .projectionExpression("pk, sk, amountMicros")
                    .expressionAttributeNames(Map.of("#status", "status"))
                    .expressionAttributeValues(Map.of(":pk", s(pk), ":r", s("RESERVATION#"), ":open", s("open"),
                            ":now", n(now.getEpochSecond())))
                    .exclusiveStartKey(start));
            List<Map<String, AttributeValue>> open = answer.items();
            for (int i = 0; i < open.size(); i += PER_TOTAL_UPDATE) {
                released += releaseExpiredChunk(pk, open.subList(i, Math.min(open.size(), i + PER_TOTAL_UPDATE)));
            }
            if (!answer.hasLastEvaluatedKey() || answer.lastEvaluatedKey().isEmpty()) {
                return released;
            }
            from = answer.lastEvaluatedKey();
        }
        LOG.atWarn().addKeyValue(LogFields.CONNECTION_ID, connectionId).addKeyValue(LogFields.WORKSPACE_ID, workspaceId)
                .log("releasing expired spend reservations stopped after {} pages ({} released); the rest on the next call",
                        MAX_PAGES, released);
        return released;
    }

    /**
     * Marks each of these expired reservations released (a conditional write each: one settled
     * meanwhile is left alone), then takes what was released off the total in one write. Not one
     * transaction (a month can hold thousands): a crash between the two leaves those amounts counted
     * (the cap reached early by them for the month), never counts anything twice and never lets
     * spend past the cap.
     */
    private int releaseExpiredChunk(String pk, List<Map<String, AttributeValue>> reservations) {
        long sum = 0;
        int released = 0;
        for (Map<String, AttributeValue> r : reservations) {
            try {
                dynamo.updateItem(u -> u.tableName(table).key(Map.of("pk", s(pk), "sk", r.get("sk")))
                        .updateExpression("SET #status = :released")
                        .conditionExpression("#status = :open")
                        .expressionAttributeNames(Map.of("#status", "status"))
                        .expressionAttributeValues(Map.of(":released", s("released"), ":open", s("open"))));
                sum += Long.parseLong(r.get("amountMicros").n());
                released++;
            } catch (ConditionalCheckFailedException settledMeanwhile) {
                // settled or released by someone else: nothing to give back
            }
        }
        if (sum > 0) {
            long minus = sum;
            dynamo.updateItem(u -> u.tableName(table).key(Map.of("pk", s(pk), "sk", s("TOTAL")))
                    .updateExpression("ADD committedMicros :minus")
                    .expressionAttributeValues(Map.of(":minus", n(-minus))));
        }
        return released;
    }

    /**
     * Releases these open reservations of one month and takes their sum off its total, in one
     * transaction; a reservation settled or released meanwhile is left out and the rest written
     * again; a conflict with a concurrent transaction is retried. Returns how many were released.
     */
    private int releaseAll(String pk, List<Map<String, AttributeValue>> reservations) {
        List<Map<String, AttributeValue>> left = new ArrayList<>(reservations);
        for (int attempt = 1; !left.isEmpty(); attempt++) {
            long sum = left.stream().mapToLong(r -> Long.parseLong(r.get("amountMicros").n())).sum();
            List<TransactWriteItem> writes = new ArrayList<>();
            writes.add(TransactWriteItem.builder().update(u -> u.tableName(table).key(Map.of("pk", s(pk), "sk", s("TOTAL")))
                    .updateExpression("ADD committedMicros :minus")
                    .expressionAttributeValues(Map.of(":minus", n(-sum)))).build());
            for (Map<String, AttributeValue> r : left) {
                writes.add(TransactWriteItem.builder().update(u -> u.tableName(table).key(Map.of("pk", s(pk), "sk", r.get("sk")))
                        .updateExpression("SET #status = :released")
                        .conditionExpression("#status = :open")
                        .expressionAttributeNames(Map.of("#status", "status"))
                        .expressionAttributeValues(Map.of(":released", s("released"), ":open", s("open")))).build());
            }
            try {
                dynamo.transactWriteItems(b -> b.transactItems(writes));
                return left.size();
            } catch (TransactionCanceledException e) {
                List<Map<String, AttributeValue>> still = new ArrayList<>();
                for (int i = 0; i < left.size(); i++) {
                    if (!CONDITION_FAILED.equals(reason(e, i + 1))) {
                        still.add(left.get(i)); // settled or released by someone else: nothing to give back
                    }
                }
                if (still.size() == left.size() && attempt >= ATTEMPTS) {
                    LOG.atWarn().log("releasing {} spend reservations gave up after {} attempts ({}); they are released on a later call",
                            left.size(), attempt, reasons(e));
                    return 0;
                }
                if (still.size() == left.size()) {
                    pause(attempt);
                }
                left = still;
            }
        }
        return 0;
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

    /** The cancellation reason of the transaction's {@code index}th write ("None" when it had none). */
    private static String reason(TransactionCanceledException e, int index) {
        return e.hasCancellationReasons() && e.cancellationReasons().size() > index
                ? String.valueOf(e.cancellationReasons().get(index).code()) : "None";
    }

    private static String reasons(TransactionCanceledException e) {
        return e.hasCancellationReasons()
                ? e.cancellationReasons().stream().map(r -> String.valueOf(r.code())).toList().toString() : "no reasons";
    }

    /** A short random wait before retrying a conflict (jitter, so racing writers do not meet again). */
    private static void pause(int attempt) {
        try {
            Thread.sleep(ThreadLocalRandom.current().nextLong(5, 10L << Math.min(attempt, 5)));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ReservationContended("interrupted while retrying a spend write");
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
