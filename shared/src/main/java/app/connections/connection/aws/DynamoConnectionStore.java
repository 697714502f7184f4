package app.connections.connection.aws;

import static app.connections.platform.aws.Items.n;

import static app.connections.platform.aws.Items.s;

import app.connections.connection.Connection;
import app.connections.connection.ConnectionStore;
import app.connections.platform.StaleVersion;
import app.connections.catalog.CredentialKind;
import app.connections.connection.IdentityKey;
import app.connections.connection.Page;
import app.connections.connection.ConnectionStatus;
import app.connections.connection.RevocationWork;
import app.connections.events.ConnectionEvent;
import app.connections.events.aws.OutboxItems;
import app.connections.platform.InvalidState;
import java.time.Clock;
import java.time.Instant;
import app.connections.platform.InvalidField;
import app.connections.platform.Json;
import com.fasterxml.jackson.core.type.TypeReference;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * {@link ConnectionStore} on one DynamoDB table, with optimistic locking on {@code version}.
 * Identity claims are items {@code pk = IDENTITY#<digest>, sk = IDENTITY} written in the same
 * transaction as the connection they point at.
 */
public final class DynamoConnectionStore implements ConnectionStore {
    private final DynamoDbClient dynamo;
    private final String table;
    private final ConnectionCopies copies;
    private final Clock clock;

    /** A store that keeps no copies current: for set-up, reads and benchmarks. */
    public DynamoConnectionStore(DynamoDbClient dynamo, String table) {
        this(dynamo, table, ConnectionCopies.NONE);
    }

    /** The service's store: {@code copies} (the grants' copies) are written in each write's transaction. */
    public DynamoConnectionStore(DynamoDbClient dynamo, String table, ConnectionCopies copies) {
        this(dynamo, table, copies, Clock.systemUTC());
    }

    public DynamoConnectionStore(DynamoDbClient dynamo, String table, ConnectionCopies copies, Clock clock) {
        this.dynamo = dynamo;
        this.table = table;
        this.copies = copies;
        this.clock = clock;
    }

    @Override
    public Connection create(Connection connection) {
        Connection stored = connection.withVersion(1);
        try {
            dynamo.putItem(b -> b.tableName(table)
                    .item(ConnectionItems.toItem(stored))
                    .conditionExpression("attribute_not_exists(pk)"));
        } catch (ConditionalCheckFailedException e) {
            throw new StaleVersion("a connection with this id already exists", e);
        }
        return stored;
    }

    @Override
    public Connection update(Connection connection, List<ConnectionEvent> events) {
        Connection stored = connection.withVersion(connection.version() + 1);
        write(connection, stored, List.of(), events);
        return stored;
    }

    @Override
    public Connection updateReleasing(Connection connection, IdentityKey identity, List<ConnectionEvent> events) {
        Connection stored = connection.withVersion(connection.version() + 1);
        write(connection, stored, List.of(release(identity, connection.id())), events);
        return stored;
    }

    @Override
    public Connection revoke(Connection revoked, Optional<IdentityKey> release, List<ConnectionEvent> events,
                             Optional<RevocationWork> work) {
        if (revoked.status() != ConnectionStatus.REVOKED) {
            throw new IllegalArgumentException("revoke saves a REVOKED connection");
        }
        Connection stored = revoked.withVersion(revoked.version() + 1);
        List<TransactWriteItem> with = new ArrayList<>();
        release.ifPresent(identity -> with.add(release(identity, revoked.id())));
        work.ifPresent(w -> with.add(RevocationWorkItems.put(table, w)));
        write(revoked, stored, with, events);
        return stored;
    }

    @Override
    public IdentityClaim createClaiming(Connection connection, IdentityKey identity, List<ConnectionEvent> events) {
        Connection stored = connection.withVersion(1);
        return claiming(connection, stored, identity, true, events);
    }

    @Override
    public IdentityClaim updateClaiming(Connection connection, IdentityKey identity, List<ConnectionEvent> events) {
        Connection stored = connection.withVersion(connection.version() + 1);
        return claiming(connection, stored, identity, false, events);
    }

    /** Writes the connection and a new claim on its identity in one transaction (with its events and copies). */
    private IdentityClaim claiming(Connection read, Connection stored, IdentityKey identity, boolean create,
                                   List<ConnectionEvent> events) {
        TransactWriteItem claim = TransactWriteItem.builder().put(p -> p.tableName(table)
                .item(claimItem(identity, stored.id()))
                .conditionExpression("attribute_not_exists(pk)")).build();
        try {
            if (create) {
                List<TransactWriteItem> items = new ArrayList<>();
                items.add(TransactWriteItem.builder().put(p -> p.tableName(table)
                        .item(ConnectionItems.toItem(stored))
                        .conditionExpression("attribute_not_exists(pk)")).build());
                items.add(claim);
                events.forEach(e -> items.add(OutboxItems.put(table, e, clock.instant())));
                items.addAll(copies.writes(stored));
                dynamo.transactWriteItems(b -> b.transactItems(items));
            } else {
                write(read, stored, List.of(claim), events);
            }
            return new IdentityClaim.Claimed(stored);
        } catch (TransactionCanceledException e) {
            List<CancellationReason> reasons = e.cancellationReasons();
            if (reasons.size() > 1 && "ConditionalCheckFailed".equals(reasons.get(1).code())) {
                return holderOf(identity).<IdentityClaim>map(IdentityClaim.HeldBy::new)
                        .orElseThrow(() -> new StaleVersion("the external account was connected and released meanwhile; retry", e));
            }
            throw new StaleVersion("the connection was changed or created meanwhile", e);
        }
    }

    /**
     * The one write of a changed connection: the connection (version-checked, never over a REVOKED
     * one), then {@code with} (claims, releases, revocation work), the outbox items of
     * {@code events} and the grants' copies, in one transaction. A plain version-checked put when
     * there is nothing else to write. A transaction cancelled by a copy alone (a grant removed
     * meanwhile) is tried again with the copies read anew; {@code with}'s own failures are the
     * caller's (a claim held by another: {@link TransactionCanceledException}).
     */
    private void write(Connection read, Connection stored, List<TransactWriteItem> with, List<ConnectionEvent> events) {
        boolean toRevoked = stored.status() == ConnectionStatus.REVOKED;
        String condition = toRevoked ? "#version = :expected" : "#version = :expected AND #status <> :revoked";
        Map<String, String> names = toRevoked ? Map.of("#version", "version")
                : Map.of("#version", "version", "#status", "status");
        Map<String, AttributeValue> values = toRevoked ? Map.of(":expected", n(read.version()))
                : Map.of(":expected", n(read.version()), ":revoked", s(ConnectionStatus.REVOKED.name()));
        for (int attempt = 1; ; attempt++) {
            List<TransactWriteItem> copyWrites = copies.writes(stored);
            if (with.isEmpty() && events.isEmpty() && copyWrites.isEmpty()) {
                try {
                    dynamo.putItem(b -> b.tableName(table).item(ConnectionItems.toItem(stored))
                            .conditionExpression(condition).expressionAttributeNames(names).expressionAttributeValues(values));
                } catch (ConditionalCheckFailedException e) {
                    throw stale(read.id(), e);
                }
                copies.catchUp(stored);
                return;
            }
            List<TransactWriteItem> items = new ArrayList<>();
            items.add(TransactWriteItem.builder().put(p -> p.tableName(table).item(ConnectionItems.toItem(stored))
                    .conditionExpression(condition).expressionAttributeNames(names).expressionAttributeValues(values)).build());
            items.addAll(with);
            Instant now = clock.instant();
            events.forEach(e -> items.add(OutboxItems.put(table, e, now)));
            int firstCopy = items.size();
            items.addAll(copyWrites);
            try {
                dynamo.transactWriteItems(b -> b.transactItems(items));
                copies.catchUp(stored);
                return;
            } catch (TransactionCanceledException e) {
                List<CancellationReason> reasons = e.cancellationReasons();
                boolean ownPartFailed = false;
                for (int i = 0; i < Math.min(firstCopy, reasons.size()); i++) {
                    if (reasons.get(i).code() != null && !"None".equals(reasons.get(i).code())) {
                        ownPartFailed = true;
                    }
                }
                if (!ownPartFailed && attempt < 3) {
                    continue; // only a grant's copy: a grant removed or re-copied meanwhile; read the grants again
                }
                if (reasons.size() > 1 && !with.isEmpty() && "ConditionalCheckFailed".equals(reasons.get(1).code())
                        && (reasons.get(0).code() == null || "None".equals(reasons.get(0).code()))) {
                    throw e; // the claim: the caller decides
                }
                throw stale(read.id(), e);
            }
        }
    }

    /** A write that lost: to a REVOKED connection (terminal: a domain outcome), or to any other change. */
    private RuntimeException stale(String connectionId, RuntimeException cause) {
        if (find(connectionId).map(c -> c.status() == ConnectionStatus.REVOKED).orElse(false)) {
            return new InvalidState("connection_revoked", "the connection was revoked; connect the app again", cause);
        }
        return new StaleVersion("the connection was changed by someone else; read it again and retry", cause);
    }

    private TransactWriteItem release(IdentityKey identity, String connectionId) {
        return TransactWriteItem.builder().delete(d -> d.tableName(table)
                .key(claimKey(identity))
                .conditionExpression("attribute_not_exists(pk) OR connectionId = :id")
                .expressionAttributeValues(Map.of(":id", s(connectionId)))).build();
    }

    @Override
    public void deletePending(String connectionId) {
        try {
            dynamo.deleteItem(b -> b.tableName(table).key(ConnectionItems.key(connectionId))
                    .conditionExpression("#status = :pending")
                    .expressionAttributeNames(Map.of("#status", "status"))
                    .expressionAttributeValues(Map.of(":pending", s("PENDING"))));
        } catch (ConditionalCheckFailedException e) {
            // already gone, or no longer pending: nothing to clean up
        }
    }

    @Override
    public Optional<String> holderOf(IdentityKey identity) {
        GetItemResponse response = dynamo.getItem(b -> b.tableName(table).key(claimKey(identity)).consistentRead(true));
        return response.hasItem() && !response.item().isEmpty()
                ? Optional.of(response.item().get("connectionId").s())
                : Optional.empty();
    }

    @Override
    public Page<Connection> picker(String accountId, String workspaceId, Optional<String> app, Set<CredentialKind> kinds,
                                   int limit, Optional<String> pageToken) {
        final int perQuery = 100; // connections read per query when a kind filter applies
        final int maxQueries = 5; // queries per page at most
        String partition = ConnectionItems.workspacePartition(accountId, workspaceId);
        String prefix = app.map(a -> a + "#").orElse("");
        Map<String, String> names = new HashMap<>(Map.of("#pk", "pickerPk"));
        Map<String, AttributeValue> values = new HashMap<>(Map.of(":pk", s(partition)));
        QueryRequest.Builder query = QueryRequest.builder().tableName(table).indexName("picker").limit(limit);
        if (app.isPresent()) {
            names.put("#sk", "pickerSk");
            values.put(":prefix", s(prefix));
            query.keyConditionExpression("#pk = :pk AND begins_with(#sk, :prefix)");
        } else {
            query.keyConditionExpression("#pk = :pk");
        }
        if (!kinds.isEmpty()) {
            List<String> placeholders = new ArrayList<>();
            int i = 0;
            for (CredentialKind kind : kinds) {
                placeholders.add(":kind" + i);
                values.put(":kind" + i++, s(kind.name()));
            }
            names.put("#kind", "credentialKind");
            query.filterExpression("#kind IN (" + String.join(", ", placeholders) + ")");
        }
        if (kinds.isEmpty()) {
            pageToken.ifPresent(token -> query.exclusiveStartKey(decodePageToken(token, partition, prefix)));
            QueryResponse page = dynamo.query(query.expressionAttributeNames(names).expressionAttributeValues(values).build());
            List<Connection> items = page.items().stream().map(ConnectionItems::fromItem).toList(); // own and granted
            Optional<String> next = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty()
                    ? Optional.of(encodePageToken(page.lastEvaluatedKey()))
                    : Optional.empty();
            return new Page<>(items, next);
        }
        // The kind filter applies after a query's Limit: read on (bounded) until the page is full or the
        // index ends, so a page is short only at the end, or after maxQueries reads of mostly other kinds.
        query.expressionAttributeNames(names).expressionAttributeValues(values)
                .limit(Math.max(limit, perQuery));
        Map<String, AttributeValue> from = pageToken.map(token -> decodePageToken(token, partition, prefix)).orElse(null);
        List<Connection> items = new ArrayList<>();
        for (int read = 0; read < maxQueries; read++) {
            QueryResponse page = dynamo.query(query.exclusiveStartKey(from).build());
            for (Map<String, AttributeValue> item : page.items()) {
                items.add(ConnectionItems.fromItem(item));
                if (items.size() == limit) {
                    // resume right after the last item handed out (a GSI's key: its own keys and the table's)
                    Map<String, AttributeValue> last = new HashMap<>();
                    for (String k : List.of("pickerPk", "pickerSk", "pk", "sk")) {
                        last.put(k, item.get(k));
                    }
                    boolean more = item != page.items().get(page.items().size() - 1)
                            || (page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty());
                    return new Page<>(List.copyOf(items), more ? Optional.of(encodePageToken(last)) : Optional.empty());
                }
            }
            if (!page.hasLastEvaluatedKey() || page.lastEvaluatedKey().isEmpty()) {
                return new Page<>(List.copyOf(items), Optional.empty());
            }
            from = page.lastEvaluatedKey();
        }
        return new Page<>(List.copyOf(items), Optional.of(encodePageToken(from)));
    }

    @Override
    public Page<Connection> everyConnection(int limit, Optional<String> pageToken) {
        var scan = software.amazon.awssdk.services.dynamodb.model.ScanRequest.builder().tableName(table).limit(limit)
                .consistentRead(true).filterExpression("#type = :connection")
                .expressionAttributeNames(Map.of("#type", "type")).expressionAttributeValues(Map.of(":connection", s("connection")));
        pageToken.ifPresent(token -> scan.exclusiveStartKey(scanKey(token)));
        var page = dynamo.scan(scan.build());
        return new Page<>(page.items().stream().map(ConnectionItems::fromItem).toList(),
                page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty()
                        ? Optional.of(encodePageToken(page.lastEvaluatedKey())) : Optional.empty());
    }

    private static Map<String, AttributeValue> scanKey(String token) {
        Map<String, String> plain;
        try {
            plain = Json.MAPPER.readValue(Base64.getUrlDecoder().decode(token), new TypeReference<Map<String, String>>() { });
        } catch (IllegalArgumentException | java.io.IOException e) {
            throw new InvalidField("nextToken", "nextToken is not a token this list issued");
        }
        if (plain == null || plain.size() != 2 || plain.get("pk") == null || plain.get("sk") == null) {
            throw new InvalidField("nextToken", "nextToken is not a token this list issued");
        }
        return Map.of("pk", s(plain.get("pk")), "sk", s(plain.get("sk")));
    }

    private static String encodePageToken(Map<String, AttributeValue> lastKey) {
        Map<String, String> plain = new LinkedHashMap<>();
        lastKey.forEach((k, v) -> plain.put(k, v.s()));
        try {
            return Base64.getUrlEncoder().withoutPadding().encodeToString(Json.MAPPER.writeValueAsBytes(plain));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cannot encode page token", e);
        }
    }

    /** A page token is only ever accepted for the partition and prefix it was issued for. */
    private static Map<String, AttributeValue> decodePageToken(String token, String partition, String prefix) {
        Map<String, AttributeValue> key = decodeKey(token, "pickerPk", partition);
        if (key.get("pickerSk") == null || !key.get("pickerSk").s().startsWith(prefix)) {
            throw new InvalidField("nextToken", "nextToken is not a token this list issued");
        }
        return key;
    }

    private static Map<String, AttributeValue> decodeKey(String token, String partitionAttribute, String partition) {
        Map<String, String> plain;
        try {
            plain = Json.MAPPER.readValue(Base64.getUrlDecoder().decode(token), new TypeReference<Map<String, String>>() { });
        } catch (IllegalArgumentException | java.io.IOException e) {
            throw new InvalidField("nextToken", "nextToken is not a token this list issued");
        }
        if (plain == null || plain.size() != 4 || !partition.equals(plain.get(partitionAttribute))
                || plain.get("pk") == null || plain.get("sk") == null) {
            throw new InvalidField("nextToken", "nextToken is not a token this list issued");
        }
        Map<String, AttributeValue> key = new HashMap<>();
        plain.forEach((k, v) -> key.put(k, s(v)));
        return key;
    }

    private static Map<String, AttributeValue> claimKey(IdentityKey identity) {
        return Map.of("pk", s("IDENTITY#" + identity.value()), "sk", s("IDENTITY"));
    }

    private static Map<String, AttributeValue> claimItem(IdentityKey identity, String connectionId) {
        Map<String, AttributeValue> item = new HashMap<>(claimKey(identity));
        item.put("type", s("identity"));
        item.put("connectionId", s(connectionId));
        return item;
    }

    @Override
    public List<Connection> ofAccount(String accountId) {
        return queryAll("picker", "pickerPk", "ACCT#" + accountId);
    }

    @Override
    public int dueShards() {
        return ConnectionItems.DUE_SHARDS;
    }

    @Override
    public Page<String> due(int shard, java.time.Instant until, int limit, Optional<String> pageToken) {
        String partition = "DUE#" + shard;
        QueryRequest.Builder query = QueryRequest.builder().tableName(table).indexName("due").limit(limit)
                .keyConditionExpression("duePk = :pk AND dueSk <= :until")
                .expressionAttributeValues(Map.of(":pk", s(partition), ":until", s(ConnectionItems.sortable(until) + "#~")));
        pageToken.ifPresent(t -> query.exclusiveStartKey(decodeKey(t, "duePk", partition)));
        QueryResponse page = dynamo.query(query.build());
        List<String> ids = page.items().stream().map(item -> item.get("pk").s().substring("CONNECTION#".length())).toList();
        return new Page<>(ids, page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty()
                ? Optional.of(encodePageToken(page.lastEvaluatedKey())) : Optional.empty());
    }

    @Override
    public List<Connection> needingAttention(String accountId, String workspaceId) {
        return queryAll("attention", "attentionPk", ConnectionItems.workspacePartition(accountId, workspaceId));
    }

    @Override
    public List<Connection> authorizedBy(String accountId, String workspaceId, String userId) {
        return queryAll("authorizer", "authorizerPk", ConnectionItems.workspacePartition(accountId, workspaceId) + "#USER#" + userId);
    }

    /** Every connection in one partition of an index. */
    private List<Connection> queryAll(String index, String partitionAttribute, String partition) {
        List<Connection> out = new ArrayList<>();
        Map<String, AttributeValue> start = null;
        do {
            QueryRequest.Builder query = QueryRequest.builder().tableName(table).indexName(index)
                    .keyConditionExpression("#pk = :pk")
                    .expressionAttributeNames(Map.of("#pk", partitionAttribute))
                    .expressionAttributeValues(Map.of(":pk", s(partition)));
            if (start != null) {
                query.exclusiveStartKey(start);
            }
            QueryResponse page = dynamo.query(query.build());
            page.items().forEach(item -> out.add(ConnectionItems.fromItem(item)));
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (start != null);
        return out;
    }

    @Override
    public Optional<Connection> find(String connectionId) {
        GetItemResponse response = dynamo.getItem(b -> b.tableName(table)
                .key(ConnectionItems.key(connectionId))
                .consistentRead(true));
        return response.hasItem() && !response.item().isEmpty()
                ? Optional.of(ConnectionItems.fromItem(response.item()))
                : Optional.empty();
    }
}
