package app.connections.connection.lifecycle.aws;

import static app.connections.platform.aws.Items.n;
import static app.connections.platform.aws.Items.s;

import app.connections.connection.lifecycle.PendingRevocations;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * Pending provider revocations in one partition ({@code pk = REVOCATIONS}, {@code sk = <epoch ms of the
 * next attempt>#<connectionId>}): few and short-lived, so one partition serves the due query.
 */
public final class DynamoPendingRevocations implements PendingRevocations {
    private final DynamoDbClient dynamo;
    private final String table;

    public DynamoPendingRevocations(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    @Override
    public void put(Pending p) {
        remove(p.connectionId());
        dynamo.putItem(b -> b.tableName(table).item(Map.of(
                "pk", s("REVOCATIONS"), "sk", s(String.format("%015d", p.nextAttemptAt().toEpochMilli()) + "#" + p.connectionId()),
                "type", s("pending-revocation"), "connectionId", s(p.connectionId()), "attempts", n(p.attempts()),
                "nextAttemptAt", s(p.nextAttemptAt().toString()))));
        dynamo.putItem(b -> b.tableName(table).item(Map.of(
                "pk", s("REVOCATION#" + p.connectionId()), "sk", s("POINTER"),
                "at", s(String.format("%015d", p.nextAttemptAt().toEpochMilli()) + "#" + p.connectionId()))));
    }

    @Override
    public List<Pending> due(Instant now, int limit) {
        return dynamo.query(b -> b.tableName(table).limit(limit)
                        .keyConditionExpression("pk = :pk AND sk <= :now")
                        .expressionAttributeValues(Map.of(":pk", s("REVOCATIONS"),
                                ":now", s(String.format("%015d", now.toEpochMilli()) + "#~"))))
                .items().stream().map(i -> new Pending(i.get("connectionId").s(), Integer.parseInt(i.get("attempts").n()),
                        Instant.parse(i.get("nextAttemptAt").s()))).toList();
    }

    @Override
    public void remove(String connectionId) {
        var pointer = dynamo.getItem(b -> b.tableName(table).consistentRead(true)
                .key(Map.of("pk", s("REVOCATION#" + connectionId), "sk", s("POINTER")))).item();
        if (pointer != null && !pointer.isEmpty()) {
            dynamo.deleteItem(b -> b.tableName(table).key(Map.of("pk", s("REVOCATIONS"), "sk", pointer.get("at"))));
            dynamo.deleteItem(b -> b.tableName(table).key(Map.of("pk", s("REVOCATION#" + connectionId), "sk", s("POINTER"))));
        }
    }
}
