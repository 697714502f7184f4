package app.connections.connection;

/** The credential's health. */
public enum ConnectionStatus {
    /** Created, connect flow not finished; never offered by the picker. */
    PENDING,
    /** Healthy and ready to authenticate node calls. */
    ACTIVE,
    /** Failed and needs attention (reauthorization); still offered so the builder can reconnect. */
    ERROR,
    /** Disconnected; kept for audit, never authenticates again. */
    REVOKED;

    /** Whether the picker offers a connection in this status. */
    public boolean offeredByPicker() {
        return this == ACTIVE || this == ERROR;
    }
}
