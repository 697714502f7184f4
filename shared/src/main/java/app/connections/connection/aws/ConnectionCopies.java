package app.connections.connection.aws;

import app.connections.connection.Connection;
import java.util.List;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

/**
 * Copies of a connection kept on other items (a grant's copy for the granted workspace's picker),
 * written in the same transaction as the connection. Their layout belongs to whoever owns them
 * ({@code grant.aws.GrantItems}); the wiring hands them to the store.
 */
public interface ConnectionCopies {
    /** No copies (stores used only for set-up and reads). */
    ConnectionCopies NONE = new ConnectionCopies() {
        @Override
        public List<TransactWriteItem> writes(Connection stored) {
            return List.of();
        }

        @Override
        public void catchUp(Connection stored) {
        }
    };

    /** The puts that bring every copy of {@code stored} up to it, for the connection's own transaction. */
    List<TransactWriteItem> writes(Connection stored);

    /**
     * After the transaction: brings up to {@code stored} a copy written meanwhile from an older
     * version (a grant created while the connection changed); never overwrites a newer copy.
     */
    void catchUp(Connection stored);
}
