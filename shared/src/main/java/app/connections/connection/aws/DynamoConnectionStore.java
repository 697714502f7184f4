package app.connections.connection.aws;

import static app.connections.platform.aws.Items.n;

import app.connections.connection.Connection;
import app.connections.connection.ConnectionStore;
import app.connections.platform.ConflictException;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;

/** {@link ConnectionStore} on one DynamoDB table, with optimistic locking on {@code version}. */
public final class DynamoConnectionStore implements ConnectionStore {
    private final DynamoDbClient dynamo;
    private final String table;

    public DynamoConnectionStore(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    @Override
    public Connection create(Connection connection) {
        Connection stored = connection.withVersion(1);
        try {
            dynamo.putItem(b -> b.tableName(table)
                    .item(ConnectionItems.toItem(stored))
                    .conditionExpression("attribute_not_exists(pk)"));
        } catch (ConditionalCheckFailedException e) {
            throw new ConflictException("connection_exists", "a connection with this id already exists", e);
        }
        return stored;
    }

    @Override
    public Connection update(Connection connection) {
        Connection stored = connection.withVersion(connection.version() + 1);
        try {
            dynamo.putItem(b -> b.tableName(table)
                    .item(ConnectionItems.toItem(stored))
                    .conditionExpression("#version = :expected")
                    .expressionAttributeNames(Map.of("#version", "version"))
                    .expressionAttributeValues(Map.of(":expected", n(connection.version()))));
        } catch (ConditionalCheckFailedException e) {
            throw new ConflictException("concurrent_update",
                    "the connection was changed by someone else; read it again and retry", e);
        }
        return stored;
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
