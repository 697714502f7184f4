package app.connections.grant.aws;

import static app.connections.platform.aws.Items.n;
import static app.connections.platform.aws.Items.s;

import app.connections.connection.Connection;
import app.connections.connection.Scope;
import app.connections.connection.aws.ConnectionCopies;
import app.connections.connection.aws.ConnectionItems;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

/**
 * A grant item ({@code pk = CONNECTION#<id>, sk = GRANT#<workspaceId>}) carries a copy of its
 * account connection's public fields (with the connection's {@code version}) and the picker keys of
 * the granted workspace, so the workspace's picker lists own and granted connections in one Query.
 * The copy never holds the secret's reference, fingerprint or external identity. This class alone
 * knows the grant item's layout; as the store's {@link ConnectionCopies} it writes the copies in
 * the connection's own transaction, each conditioned on the grant still existing with an older copy.
 */
public final class GrantItems implements ConnectionCopies {
    private final DynamoDbClient dynamo;
    private final String table;

    public GrantItems(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    @Override
    public List<TransactWriteItem> writes(Connection stored) {
        List<TransactWriteItem> writes = new ArrayList<>();
        for (Map<String, AttributeValue> grant : grantsOf(stored)) {
            Map<String, AttributeValue> item = updated(stored, grant);
            writes.add(TransactWriteItem.builder().put(p -> p.tableName(table).item(item)
                    .conditionExpression("attribute_exists(pk) AND (attribute_not_exists(#v) OR #v < :v)")
                    .expressionAttributeNames(Map.of("#v", "version"))
                    .expressionAttributeValues(Map.of(":v", n(stored.version())))).build());
        }
        return writes;
    }

    @Override
    public void catchUp(Connection stored) {
        for (Map<String, AttributeValue> grant : grantsOf(stored)) {
            AttributeValue version = grant.get("version");
            if (version != null && Long.parseLong(version.n()) >= stored.version()) {
                continue;
            }
            try {
                dynamo.putItem(b -> b.tableName(table).item(updated(stored, grant))
                        .conditionExpression("attribute_exists(pk) AND (attribute_not_exists(#v) OR #v < :v)")
                        .expressionAttributeNames(Map.of("#v", "version"))
                        .expressionAttributeValues(Map.of(":v", n(stored.version()))));
            } catch (ConditionalCheckFailedException goneOrNewer) {
                // removed meanwhile, or already a newer copy: nothing to do
            }
        }
    }

    private List<Map<String, AttributeValue>> grantsOf(Connection stored) {
        if (stored.scope() != Scope.ACCOUNT) {
            return List.of();
        }
        return dynamo.query(b -> b.tableName(table).consistentRead(true)
                .keyConditionExpression("pk = :pk AND begins_with(sk, :grant)")
                .expressionAttributeValues(Map.of(":pk", s(ConnectionItems.pk(stored.id())), ":grant", s("GRANT#")))).items();
    }

    /** The grant item with its copy brought up to {@code stored}, keeping the grant's own fields. */
    private static Map<String, AttributeValue> updated(Connection stored, Map<String, AttributeValue> grant) {
        Map<String, AttributeValue> item = new HashMap<>(copy(stored, grant.get("grantWorkspaceId").s()));
        grant.forEach((k, v) -> {
            if (k.startsWith("cap") || k.equals("grantCreatedAt") || k.equals("grantUpdatedAt")) {
                item.put(k, v);
            }
        });
        return item;
    }

    public static Map<String, AttributeValue> key(String connectionId, String workspaceId) {
        return Map.of("pk", s(ConnectionItems.pk(connectionId)), "sk", s("GRANT#" + workspaceId));
    }

    /** The connection's fields as they belong on the grant item for {@code workspaceId} (with its {@code version}). */
    public static Map<String, AttributeValue> copy(Connection c, String workspaceId) {
        Map<String, AttributeValue> item = new HashMap<>(ConnectionItems.toItem(c));
        item.keySet().removeIf(k -> k.startsWith("due") || k.startsWith("attention") || k.startsWith("authorizer")
                || k.equals("secretRef") || k.equals("secretFingerprint") || k.equals("externalIdentity") || k.equals("ttl"));
        item.putAll(key(c.id(), workspaceId));
        item.put("type", s("grant"));
        item.put("grantWorkspaceId", s(workspaceId));
        if (c.status().offeredByPicker()) {
            item.put("pickerPk", s(ConnectionItems.workspacePartition(c.accountId(), workspaceId)));
        } else {
            item.remove("pickerPk");
            item.remove("pickerSk");
        }
        return item;
    }
}
