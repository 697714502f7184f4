package app.connections.connection;

import java.util.Optional;

/** Port: where connection records live. Writes are conditional; nothing is overwritten blindly. */
public interface ConnectionStore {
    /**
     * Saves a new connection. Fails with {@link app.connections.platform.ConflictException} if the
     * id was ever used. Returns the stored record (version 1).
     */
    Connection create(Connection connection);

    /**
     * Saves a change to a connection read at {@code connection.version()}. Fails with {@link
     * app.connections.platform.ConflictException} ({@code concurrent_update}) when someone else
     * changed it since. Returns the stored record with its new version.
     */
    Connection update(Connection connection);

    Optional<Connection> find(String connectionId);
}
