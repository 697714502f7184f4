package app.connections.connection.aws;

import static app.connections.platform.aws.Items.n;
import static app.connections.platform.aws.Items.s;

import app.connections.connection.RevocationWork;
import java.time.Instant;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

/**
 * The pending-revocation item: the work left after a revoke ({@link RevocationWork}), one item per
 * connection in one of {@value #SHARDS} partitions ({@code pk = REVOCATIONS#<hash(id) mod 16>},
 * {@code sk = <connectionId>}) so no single partition is the queue every revocation waits behind.
 * It is written in the REVOKED write's transaction and updated as each step is done.
 */
public final class RevocationWorkItems {
    public static final int SHARDS = 16;

    private RevocationWorkItems() {
    }

    public static int shard(String connectionId) {
        return Math.floorMod(connectionId.hashCode(), SHARDS);
    }

    public static String partition(int shard) {
        return "REVOCATIONS#" + shard;
    }

    public static Map<String, AttributeValue> key(String connectionId) {
        return Map.of("pk", s(partition(shard(connectionId))), "sk", s(connectionId));
    }

    public static Map<String, AttributeValue> item(RevocationWork work) {
        Map<String, AttributeValue> item = new HashMap<>(key(work.connectionId()));
        item.put("type", s("pending-revocation"));
        item.put("connectionId", s(work.connectionId()));
        item.put("done", AttributeValue.fromL(work.done().stream().sorted().map(d -> s(d.name())).toList()));
        item.put("attempts", n(work.attempts()));
        item.put("nextAttemptAt", s(work.nextAttemptAt().toString()));
        item.put("nextAttemptMs", n(work.nextAttemptAt().toEpochMilli()));
        work.revokedAt().ifPresent(at -> item.put("revokedAt", s(at.toString())));
        return item;
    }

    public static RevocationWork fromItem(Map<String, AttributeValue> item) {
        EnumSet<RevocationWork.Step> done = EnumSet.noneOf(RevocationWork.Step.class);
        if (item.containsKey("done")) {
            item.get("done").l().forEach(v -> done.add(RevocationWork.Step.valueOf(v.s())));
        }
        return new RevocationWork(item.get("connectionId").s(), done, Integer.parseInt(item.get("attempts").n()),
                Instant.parse(item.get("nextAttemptAt").s()),
                java.util.Optional.ofNullable(item.get("revokedAt")).map(v -> Instant.parse(v.s())));
    }

    /** Its put in the REVOKED write's transaction. */
    public static TransactWriteItem put(String table, RevocationWork work) {
        return TransactWriteItem.builder().put(p -> p.tableName(table).item(item(work))).build();
    }
}
