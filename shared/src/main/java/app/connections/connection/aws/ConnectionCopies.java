package app.connections.connection.aws;

import app.connections.connection.Connection;

/**
 * Copies of a connection kept on other items (a grant's copy for the granted workspace's picker),
 * brought up to date after each write of the connection. Their layout belongs to whoever owns them
 * ({@code grant.aws.GrantItems}); the wiring hands them to the store.
 */
public interface ConnectionCopies {
    /** No copies (stores used only for set-up and reads). */
    ConnectionCopies NONE = stored -> { };

    void sync(Connection stored);
}
