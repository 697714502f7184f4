package app.connections.oauth;

/** How the callback ended, as the popup reports it to the builder. */
public sealed interface CallbackResult {
    /** An account was connected: a new connection, or the existing one for the same account. */
    record Connected(String connectionId, boolean created) implements CallbackResult {
    }

    /** No connection; {@code error} is a code the builder can show. */
    record Failed(String error) implements CallbackResult {
    }
}
