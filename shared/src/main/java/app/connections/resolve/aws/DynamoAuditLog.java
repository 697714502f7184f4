package app.connections.resolve.aws;

import static app.connections.platform.aws.Items.n;
import static app.connections.platform.aws.Items.s;

import app.connections.resolve.AuditLog;
import app.connections.resolve.ResolveRequest;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** Audit records under their connection: {@code pk = CONNECTION#<id>, sk = AUDIT#<time>#<uuid>}, kept 400 days. */
public final class DynamoAuditLog implements AuditLog {
    private final DynamoDbClient dynamo;
    private final String table;

    public DynamoAuditLog(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    @Override
    public void resolved(ResolveRequest r, String outcome, Instant at) {
        dynamo.putItem(b -> b.tableName(table).item(Map.of(
                "pk", s("CONNECTION#" + r.connectionId()),
                "sk", s("AUDIT#" + String.format("%015d", at.toEpochMilli()) + "#" + UUID.randomUUID()),
                "type", s("resolve-audit"), "accountId", s(r.accountId()), "workspaceId", s(r.workspaceId()),
                "runId", s(r.runId()), "stepId", s(r.stepId()), "outcome", s(outcome), "at", s(at.toString()),
                "ttl", n(at.getEpochSecond() + 400L * 86_400))));
    }
}
