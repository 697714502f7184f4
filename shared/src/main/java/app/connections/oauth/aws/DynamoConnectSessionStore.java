package app.connections.oauth.aws;

import static app.connections.platform.aws.Items.n;
import static app.connections.platform.aws.Items.num;
import static app.connections.platform.aws.Items.optStr;
import static app.connections.platform.aws.Items.s;
import static app.connections.platform.aws.Items.str;

import app.connections.connection.Scope;
import app.connections.oauth.ConnectSession;
import app.connections.oauth.ConnectSessionStatus;
import app.connections.oauth.ConnectSessionStore;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;

/**
 * Connect sessions ({@code pk = SESSION#<id>}) and OAuth states ({@code pk = STATE#<state>}). A
 * state is used up by a conditional delete that also checks its expiry, so it works once and
 * only in time — TTL only cleans up.
 */
public final class DynamoConnectSessionStore implements ConnectSessionStore {
    private static final long CLEAN_UP_AFTER_SECONDS = 86_400;

    private final DynamoDbClient dynamo;
    private final String table;

    public DynamoConnectSessionStore(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    @Override
    public void create(ConnectSession session) {
        dynamo.putItem(b -> b.tableName(table).item(toItem(session.withVersion(1)))
                .conditionExpression("attribute_not_exists(pk)"));
    }

    @Override
    public Optional<ConnectSession> find(String sessionId) {
        var response = dynamo.getItem(b -> b.tableName(table).consistentRead(true)
                .key(Map.of("pk", s("SESSION#" + sessionId), "sk", s("SESSION"))));
        return response.hasItem() && !response.item().isEmpty() ? Optional.of(fromItem(response.item())) : Optional.empty();
    }

    @Override
    public boolean update(ConnectSession session) {
        try {
            dynamo.putItem(b -> b.tableName(table).item(toItem(session.withVersion(session.version() + 1)))
                    .conditionExpression("#version = :expected")
                    .expressionAttributeNames(Map.of("#version", "version"))
                    .expressionAttributeValues(Map.of(":expected", n(session.version()))));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    @Override
    public void putState(String state, String sessionId, Instant expiresAt) {
        dynamo.putItem(b -> b.tableName(table).conditionExpression("attribute_not_exists(pk)").item(Map.of(
                "pk", s("STATE#" + state), "sk", s("STATE"), "type", s("oauth-state"),
                "sessionId", s(sessionId), "expiresAt", n(expiresAt.getEpochSecond()),
                "ttl", n(expiresAt.getEpochSecond() + CLEAN_UP_AFTER_SECONDS))));
    }

    @Override
    public Optional<String> consumeState(String state, Instant now) {
        try {
            var deleted = dynamo.deleteItem(b -> b.tableName(table)
                    .key(Map.of("pk", s("STATE#" + state), "sk", s("STATE")))
                    .conditionExpression("attribute_exists(pk) AND expiresAt > :now")
                    .expressionAttributeValues(Map.of(":now", n(now.getEpochSecond())))
                    .returnValues(ReturnValue.ALL_OLD));
            return deleted.hasAttributes() ? optStr(deleted.attributes(), "sessionId") : Optional.empty();
        } catch (ConditionalCheckFailedException e) {
            return Optional.empty();
        }
    }

    private static Map<String, AttributeValue> toItem(ConnectSession session) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put("pk", s("SESSION#" + session.id()));
        item.put("sk", s("SESSION"));
        item.put("type", s("connect-session"));
        item.put("id", s(session.id()));
        item.put("accountId", s(session.accountId()));
        session.workspaceId().ifPresent(ws -> item.put("workspaceId", s(ws)));
        item.put("scope", s(session.scope().name()));
        item.put("app", s(session.app()));
        session.label().ifPresent(l -> item.put("label", s(l)));
        if (!session.fields().isEmpty()) {
            Map<String, AttributeValue> fields = new HashMap<>();
            session.fields().forEach((k, v) -> fields.put(k, s(v)));
            item.put("fields", AttributeValue.fromM(fields));
        }
        session.reconnectConnectionId().ifPresent(id -> item.put("reconnectConnectionId", s(id)));
        item.put("userId", s(session.userId()));
        item.put("opener", s(session.opener().name()));
        session.nonce().ifPresent(v -> item.put("nonce", s(v)));
        session.sealedCode().ifPresent(v -> item.put("sealedCode", s(v)));
        session.completionHash().ifPresent(v -> item.put("completionHash", s(v)));
        item.put("createdAt", s(session.createdAt().toString()));
        item.put("expiresAt", s(session.expiresAt().toString()));
        item.put("status", s(session.status().name()));
        session.codeVerifier().ifPresent(v -> item.put("codeVerifier", s(v)));
        session.pendingConnectionId().ifPresent(id -> item.put("pendingConnectionId", s(id)));
        item.put("version", n(session.version()));
        item.put("ttl", n(session.expiresAt().getEpochSecond() + CLEAN_UP_AFTER_SECONDS));
        return item;
    }

    private static ConnectSession fromItem(Map<String, AttributeValue> item) {
        Map<String, String> fields = new HashMap<>();
        AttributeValue f = item.get("fields");
        if (f != null && f.hasM()) {
            f.m().forEach((k, v) -> fields.put(k, v.s()));
        }
        return new ConnectSession(str(item, "id"), str(item, "accountId"), optStr(item, "workspaceId"),
                Scope.valueOf(str(item, "scope")), str(item, "app"), optStr(item, "label"), fields,
                optStr(item, "reconnectConnectionId"), str(item, "userId"),
                ConnectSession.Opener.valueOf(optStr(item, "opener").orElse("BUILDER")), optStr(item, "nonce"),
                Instant.parse(str(item, "createdAt")), Instant.parse(str(item, "expiresAt")),
                ConnectSessionStatus.valueOf(str(item, "status")), optStr(item, "codeVerifier"),
                optStr(item, "pendingConnectionId"), optStr(item, "sealedCode"), optStr(item, "completionHash"),
                num(item, "version"));
    }
}
