package app.connections.workspace.aws;

import static app.connections.platform.aws.Items.s;
import static app.connections.platform.aws.Items.str;

import app.connections.workspace.Workspace;
import app.connections.workspace.WorkspaceRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

/** Workspace items: {@code pk = ACCOUNT#<accountId>}, {@code sk = WORKSPACE#<workspaceId>}. */
public final class DynamoWorkspaceRegistry implements WorkspaceRegistry {
    private final DynamoDbClient dynamo;
    private final String table;

    public DynamoWorkspaceRegistry(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    @Override
    public void put(Workspace workspace) {
        dynamo.putItem(b -> b.tableName(table).item(Map.of(
                "pk", s("ACCOUNT#" + workspace.accountId()),
                "sk", s("WORKSPACE#" + workspace.id()),
                "type", s("workspace"),
                "id", s(workspace.id()),
                "accountId", s(workspace.accountId()),
                "name", s(workspace.name()))));
    }

    @Override
    public Optional<Workspace> find(String accountId, String workspaceId) {
        var response = dynamo.getItem(b -> b.tableName(table).key(Map.of(
                "pk", s("ACCOUNT#" + accountId),
                "sk", s("WORKSPACE#" + workspaceId))));
        return response.hasItem() && !response.item().isEmpty()
                ? Optional.of(fromItem(response.item()))
                : Optional.empty();
    }

    @Override
    public List<Workspace> list(String accountId) {
        List<Workspace> workspaces = new ArrayList<>();
        Map<String, AttributeValue> start = null;
        do {
            QueryRequest.Builder query = QueryRequest.builder().tableName(table)
                    .keyConditionExpression("pk = :pk AND begins_with(sk, :prefix)")
                    .expressionAttributeValues(Map.of(":pk", s("ACCOUNT#" + accountId), ":prefix", s("WORKSPACE#")));
            if (start != null) {
                query.exclusiveStartKey(start);
            }
            QueryResponse page = dynamo.query(query.build());
            page.items().forEach(item -> workspaces.add(fromItem(item)));
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (start != null);
        return workspaces;
    }

    private static Workspace fromItem(Map<String, AttributeValue> item) {
        return new Workspace(str(item, "id"), str(item, "accountId"), str(item, "name"));
    }
}
