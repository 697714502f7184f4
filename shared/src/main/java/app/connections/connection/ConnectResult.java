package app.connections.connection;

/** The outcome of a connect: a new connection, or the existing one for the same external account. */
public sealed interface ConnectResult {
    Connection connection();

    record Created(Connection connection) implements ConnectResult {
    }

    /** The same external account was already connected in this scope: that connection was updated in place. */
    record Deduplicated(Connection connection) implements ConnectResult {
    }
}
