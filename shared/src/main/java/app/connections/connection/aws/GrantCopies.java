package app.connections.connection.aws;

import static app.connections.platform.aws.Items.s;

import app.connections.connection.Connection;
import java.util.HashMap;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * A grant item ({@code pk = CONNECTION#<id>, sk = GRANT#<workspaceId>}) carries a copy of its
 * account connection's public fields and the picker keys of the granted workspace, so the
 * workspace's picker lists own and granted connections in one Query. The copy never holds the
 * secret's reference, fingerprint or external identity.
 */
public final class GrantCopies {
    private GrantCopies() {
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

    /** Reads the connection back from a grant item (picker results). */
    public static Connection connection(Map<String, AttributeValue> item) {
        return ConnectionItems.fromItem(item);
    }
}
