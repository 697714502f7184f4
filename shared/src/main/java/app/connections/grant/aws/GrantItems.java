package app.connections.grant.aws;

import static app.connections.platform.aws.Items.s;

import app.connections.connection.Connection;
import app.connections.connection.Scope;
import app.connections.connection.aws.ConnectionCopies;
import app.connections.connection.aws.ConnectionItems;
import java.util.HashMap;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * A grant item ({@code pk = CONNECTION#<id>, sk = GRANT#<workspaceId>}) carries a copy of its
 * account connection's public fields and the picker keys of the granted workspace, so the
 * workspace's picker lists own and granted connections in one Query. The copy never holds the
 * secret's reference, fingerprint or external identity. This class alone knows the grant item's
 * layout; as the store's {@link ConnectionCopies} it keeps the copies current after every write of
 * the connection.
 */
public final class GrantItems implements ConnectionCopies {
    private final DynamoDbClient dynamo;
    private final String table;

    public GrantItems(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    /** Account connections are copied onto their grant items: keep the copies (label, status, picker keys) current. */
    @Override
    public void sync(Connection stored) {
        if (stored.scope() != Scope.ACCOUNT) {
            return;
        }
        var grants = dynamo.query(b -> b.tableName(table).consistentRead(true)
                .keyConditionExpression("pk = :pk AND begins_with(sk, :grant)")
                .expressionAttributeValues(Map.of(":pk", s(ConnectionItems.pk(stored.id())), ":grant", s("GRANT#")))).items();
        for (Map<String, AttributeValue> grant : grants) {
            Map<String, AttributeValue> item = new HashMap<>(copy(stored, grant.get("grantWorkspaceId").s()));
            grant.forEach((k, v) -> {
                if (k.startsWith("cap") || k.equals("grantCreatedAt") || k.equals("grantUpdatedAt")) {
                    item.put(k, v);
                }
            });
            dynamo.putItem(b -> b.tableName(table).item(item).conditionExpression("attribute_exists(pk)"));
        }
    }

    public static Map<String, AttributeValue> key(String connectionId, String workspaceId) {
        return Map.of("pk", s(ConnectionItems.pk(connectionId)), "sk", s("GRANT#" + workspaceId));
    }

    /** The connection's fields as they belong on the grant item for {@code workspaceId}. */
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
