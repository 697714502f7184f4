package app.connections.grant.aws;

import static app.connections.platform.aws.Items.n;
import static app.connections.platform.aws.Items.optStr;
import static app.connections.platform.aws.Items.s;
import static app.connections.platform.aws.Items.str;

import app.connections.connection.Connection;
import app.connections.grant.Grant;
import app.connections.grant.GrantStore;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import app.connections.connection.aws.ConnectionItems;
import app.connections.platform.StaleVersion;

/** Grant items, each with a copy of its connection for the granted workspace's picker ({@link GrantItems}). */
public final class DynamoGrantStore implements GrantStore {
    private final DynamoDbClient dynamo;
    private final String table;

    public DynamoGrantStore(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    @Override
    public boolean put(Grant grant, Connection connection) {
        Map<String, AttributeValue> item = new HashMap<>(GrantItems.copy(connection, grant.workspaceId()));
        grant.capMicros().ifPresent(cap -> item.put("capMicros", n(cap)));
        item.put("grantCreatedAt", s(grant.createdAt().toString()));
        item.put("grantUpdatedAt", s(grant.updatedAt().toString()));
        Optional<Grant> before = find(grant.connectionId(), grant.workspaceId());
        before.ifPresent(b -> item.put("grantCreatedAt", s(b.createdAt().toString())));
        try {
            dynamo.transactWriteItems(t -> t.transactItems(
                    TransactWriteItem.builder().conditionCheck(c -> c.tableName(table).key(ConnectionItems.key(connection.id()))
                            .conditionExpression("#v = :v AND #status <> :revoked")
                            .expressionAttributeNames(Map.of("#v", "version", "#status", "status"))
                            .expressionAttributeValues(Map.of(":v", n(connection.version()), ":revoked", s("REVOKED")))).build(),
                    TransactWriteItem.builder().put(p -> p.tableName(table).item(item)
                            .conditionExpression("attribute_not_exists(pk) OR attribute_not_exists(#v) OR #v <= :v")
                            .expressionAttributeNames(Map.of("#v", "version"))
                            .expressionAttributeValues(Map.of(":v", n(connection.version())))).build()));
        } catch (TransactionCanceledException e) {
            throw new StaleVersion("the connection changed while it was being granted; read it again", e);
        }
        return before.isEmpty();
    }

    @Override
    public Optional<Grant> find(String connectionId, String workspaceId) {
        var response = dynamo.getItem(b -> b.tableName(table).consistentRead(true).key(GrantItems.key(connectionId, workspaceId)));
        return response.hasItem() && !response.item().isEmpty() ? Optional.of(fromItem(response.item())) : Optional.empty();
    }

    @Override
    public List<Grant> of(String connectionId) {
        return dynamo.query(b -> b.tableName(table).consistentRead(true)
                        .keyConditionExpression("pk = :pk AND begins_with(sk, :grant)")
                        .expressionAttributeValues(Map.of(":pk", s("CONNECTION#" + connectionId), ":grant", s("GRANT#"))))
                .items().stream().map(DynamoGrantStore::fromItem).toList();
    }

    @Override
    public boolean delete(String connectionId, String workspaceId) {
        var deleted = dynamo.deleteItem(b -> b.tableName(table).key(GrantItems.key(connectionId, workspaceId))
                .returnValues(ReturnValue.ALL_OLD));
        return deleted.hasAttributes() && !deleted.attributes().isEmpty();
    }

    private static Grant fromItem(Map<String, AttributeValue> item) {
        return new Grant(str(item, "id"), str(item, "accountId"), str(item, "grantWorkspaceId"),
                item.containsKey("capMicros") ? Optional.of(Long.parseLong(item.get("capMicros").n())) : Optional.empty(),
                Instant.parse(optStr(item, "grantCreatedAt").orElse(str(item, "createdAt"))),
                Instant.parse(optStr(item, "grantUpdatedAt").orElse(str(item, "updatedAt"))));
    }
}
