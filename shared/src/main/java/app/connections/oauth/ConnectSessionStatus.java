package app.connections.oauth;

/** Where a connect session is in its single use. */
public enum ConnectSessionStatus {
    /** Created by the builder; the popup has not opened it yet. */
    CREATED,
    /** The popup went to the consent screen; waiting for the callback. */
    STARTED,
    /** The provider answered with a code (sealed); waiting for the creator to complete from their own page. */
    AUTHORIZED,
    /** The creator completed; the code is being exchanged. */
    COMPLETING,
    /** An account was connected. */
    COMPLETED,
    /** The flow ended without a connection. */
    FAILED
}
