package app.connections.oauth;

/** Where a connect session is in its single use. */
public enum ConnectSessionStatus {
    /** Created by the builder; the popup has not opened it yet. */
    CREATED,
    /** The popup went to the consent screen; waiting for the callback. */
    STARTED,
    /** The callback connected an account. */
    COMPLETED,
    /** The flow ended without a connection. */
    FAILED
}
