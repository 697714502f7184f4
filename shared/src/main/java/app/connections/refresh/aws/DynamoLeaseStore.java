package app.connections.refresh.aws;

import static app.connections.platform.aws.Items.n;
import static app.connections.platform.aws.Items.s;

import app.connections.refresh.LeaseStore;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/** Leases as their own item, {@code pk = CONNECTION#<id>, sk = LEASE}: a connection write never clears one. */
public final class DynamoLeaseStore implements LeaseStore {
    private final DynamoDbClient dynamo;
    private final String table;

    public DynamoLeaseStore(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    @Override
    public boolean acquire(String connectionId, String owner, Duration ttl, Instant now) {
        Instant until = now.plus(ttl);
        try {
            dynamo.putItem(b -> b.tableName(table)
                    .item(Map.of("pk", s("CONNECTION#" + connectionId), "sk", s("LEASE"), "type", s("lease"),
                            "owner", s(owner), "expiresAt", n(until.toEpochMilli()),
                            "ttl", n(until.getEpochSecond() + 86_400)))
                    // "or it is ours": when the answer to our own write is lost, the SDK's retry meets our lease
                    .conditionExpression("attribute_not_exists(pk) OR expiresAt < :now OR #owner = :owner")
                    .expressionAttributeNames(Map.of("#owner", "owner"))
                    .expressionAttributeValues(Map.of(":now", n(now.toEpochMilli()), ":owner", s(owner))));
            return true;
        } catch (ConditionalCheckFailedException held) {
            return false;
        }
    }

    @Override
    public boolean held(String connectionId, Instant now) {
        var item = dynamo.getItem(b -> b.tableName(table).consistentRead(true)
                .key(Map.of("pk", s("CONNECTION#" + connectionId), "sk", s("LEASE")))).item();
        return item != null && item.containsKey("expiresAt") && Long.parseLong(item.get("expiresAt").n()) > now.toEpochMilli();
    }

    @Override
    public void release(String connectionId, String owner) {
        try {
            dynamo.deleteItem(b -> b.tableName(table)
                    .key(Map.of("pk", s("CONNECTION#" + connectionId), "sk", s("LEASE")))
                    .conditionExpression("#owner = :owner")
                    .expressionAttributeNames(Map.of("#owner", "owner"))
                    .expressionAttributeValues(Map.of(":owner", s(owner))));
        } catch (ConditionalCheckFailedException notOurs) {
            // expired and taken by someone else meanwhile: theirs now
        }
    }
}
