package app.connections.connection.lifecycle.aws;

import static app.connections.platform.aws.Items.n;
import static app.connections.platform.aws.Items.s;
import static app.connections.platform.aws.Items.str;

import app.connections.connection.lifecycle.ParkedRun;
import app.connections.connection.lifecycle.ParkedRuns;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;

/** Parked runs under their connection: {@code pk = CONNECTION#<id>, sk = PARKED#<runId>#<stepId>}. */
public final class DynamoParkedRuns implements ParkedRuns {
    private final DynamoDbClient dynamo;
    private final String table;

    public DynamoParkedRuns(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    @Override
    public void park(String connectionId, ParkedRun run, Instant now) {
        dynamo.putItem(b -> b.tableName(table).item(Map.of(
                "pk", s("CONNECTION#" + connectionId), "sk", s("PARKED#" + run.runId() + "#" + run.stepId()),
                "type", s("parked-run"), "runId", s(run.runId()), "stepId", s(run.stepId()),
                "parkedAt", s(now.toString()), "ttl", n(now.getEpochSecond() + 30L * 86_400))));
    }

    @Override
    public List<ParkedRun> of(String connectionId) {
        List<ParkedRun> runs = new ArrayList<>();
        forEachParked(connectionId, item -> runs.add(new ParkedRun(str(item, "runId"), str(item, "stepId"))));
        return runs;
    }

    /** Every parked-run item of the connection, page by page (strongly consistent). */
    private void forEachParked(String connectionId, java.util.function.Consumer<Map<String, AttributeValue>> action) {
        Map<String, AttributeValue> start = null;
        do {
            Map<String, AttributeValue> from = start;
            var page = dynamo.query(b -> {
                b.tableName(table).consistentRead(true)
                        .keyConditionExpression("pk = :pk AND begins_with(sk, :parked)")
                        .expressionAttributeValues(Map.of(":pk", s("CONNECTION#" + connectionId), ":parked", s("PARKED#")));
                if (from != null) {
                    b.exclusiveStartKey(from);
                }
            });
            page.items().forEach(action);
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (start != null);
    }

    @Override
    public void remove(String connectionId, List<ParkedRun> runs) {
        for (ParkedRun run : runs) {
            dynamo.deleteItem(b -> b.tableName(table).key(Map.of(
                    "pk", s("CONNECTION#" + connectionId), "sk", s("PARKED#" + run.runId() + "#" + run.stepId()))));
        }
    }

    @Override
    public List<ParkedRun> takeAll(String connectionId) {
        List<ParkedRun> taken = new ArrayList<>();
        forEachParked(connectionId, item -> {
            // deleting returns the item only to the one caller that deleted it: each run is taken once
            var deleted = dynamo.deleteItem(b -> b.tableName(table)
                    .key(Map.of("pk", item.get("pk"), "sk", item.get("sk"))).returnValues(ReturnValue.ALL_OLD));
            if (deleted.hasAttributes() && !deleted.attributes().isEmpty()) {
                taken.add(new ParkedRun(str(item, "runId"), str(item, "stepId")));
            }
        });
        return taken;
    }
}
