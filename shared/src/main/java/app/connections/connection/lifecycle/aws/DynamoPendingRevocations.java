package app.connections.connection.lifecycle.aws;

import static app.connections.platform.aws.Items.n;
import static app.connections.platform.aws.Items.s;

import app.connections.connection.RevocationWork;
import app.connections.connection.aws.RevocationWorkItems;
import app.connections.connection.lifecycle.PendingRevocations;
import app.connections.events.ConnectionEvent;
import app.connections.events.aws.OutboxItems;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

/**
 * Pending revocations ({@link RevocationWorkItems}): one item per connection in one of 16 shard
 * partitions. The due query reads each shard (starting from a different one each time) for items
 * whose {@code nextAttemptMs} has come, so an item that keeps failing is only ever one of many
 * and moves back by its own backoff.
 */
public final class DynamoPendingRevocations implements PendingRevocations {
    private static final int PAGES_PER_SHARD = 4;
    private final DynamoDbClient dynamo;
    private final String table;
    private final AtomicInteger firstShard = new AtomicInteger();

    public DynamoPendingRevocations(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    @Override
    public Optional<RevocationWork> find(String connectionId) {
        var item = dynamo.getItem(b -> b.tableName(table).consistentRead(true).key(RevocationWorkItems.key(connectionId))).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(RevocationWorkItems.fromItem(item));
    }

    @Override
    public void save(RevocationWork work) {
        dynamo.putItem(b -> b.tableName(table).item(RevocationWorkItems.item(work)));
    }

    @Override
    public void giveUp(RevocationWork work, ConnectionEvent event) {
        dynamo.transactWriteItems(t -> t.transactItems(
                TransactWriteItem.builder().put(p -> p.tableName(table).item(RevocationWorkItems.item(work))).build(),
                OutboxItems.put(table, event, Instant.now())));
    }

    @Override
    public List<RevocationWork> due(Instant now, int limit) {
        adoptLegacy();
        List<RevocationWork> due = new ArrayList<>();
        int start = Math.floorMod(firstShard.getAndIncrement(), RevocationWorkItems.SHARDS);
        int perShard = Math.max(1, (limit + RevocationWorkItems.SHARDS - 1) / RevocationWorkItems.SHARDS);
        for (int i = 0; i < RevocationWorkItems.SHARDS; i++) {
            String partition = RevocationWorkItems.partition((start + i) % RevocationWorkItems.SHARDS);
            Map<String, AttributeValue> from = null;
            int found = 0;
            for (int page = 0; page < PAGES_PER_SHARD && found < perShard * 2; page++) {
                Map<String, AttributeValue> startKey = from;
                QueryResponse r = dynamo.query(b -> {
                    b.tableName(table).keyConditionExpression("pk = :pk").filterExpression("nextAttemptMs <= :now")
                            .expressionAttributeValues(Map.of(":pk", s(partition), ":now", n(now.toEpochMilli())));
                    if (startKey != null) {
                        b.exclusiveStartKey(startKey);
                    }
                });
                for (var item : r.items()) {
                    due.add(RevocationWorkItems.fromItem(item));
                    found++;
                }
                from = r.hasLastEvaluatedKey() && !r.lastEvaluatedKey().isEmpty() ? r.lastEvaluatedKey() : null;
                if (from == null) {
                    break;
                }
            }
        }
        due.sort(Comparator.comparing(RevocationWork::nextAttemptAt));
        return due.size() > limit ? List.copyOf(due.subList(0, limit)) : due;
    }

    /**
     * Pending revocations recorded before the shards (one {@code REVOCATIONS} partition, {@code sk =
     * <epoch ms>#<connectionId>}, with a {@code REVOCATION#<id>/POINTER} item) become shard items
     * with their attempts and next attempt, nothing done yet; a bounded page per run.
     */
    private void adoptLegacy() {
        var legacy = dynamo.query(b -> b.tableName(table).limit(100).keyConditionExpression("pk = :pk")
                .expressionAttributeValues(Map.of(":pk", s("REVOCATIONS")))).items();
        for (Map<String, AttributeValue> item : legacy) {
            String connectionId = item.get("connectionId").s();
            RevocationWork work = new RevocationWork(connectionId, java.util.Set.of(), Integer.parseInt(item.get("attempts").n()),
                    Instant.parse(item.get("nextAttemptAt").s()));
            try {
                dynamo.putItem(b -> b.tableName(table).item(RevocationWorkItems.item(work)).conditionExpression("attribute_not_exists(pk)"));
            } catch (software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException alreadyAdopted) {
                // a newer record of the same work exists: keep it
            }
            dynamo.deleteItem(b -> b.tableName(table).key(Map.of("pk", item.get("pk"), "sk", item.get("sk"))));
            dynamo.deleteItem(b -> b.tableName(table).key(Map.of("pk", s("REVOCATION#" + connectionId), "sk", s("POINTER"))));
        }
    }

    @Override
    public void remove(String connectionId) {
        dynamo.deleteItem(b -> b.tableName(table).key(RevocationWorkItems.key(connectionId)));
    }
}
