package app.connections.oauth;

import java.util.Optional;

/** How the callback (or the completion that follows it) ended, as the page is told. */
public sealed interface CallbackResult {
    /**
     * The provider answered with a code, now sealed with the session: the popup hands the opener the
     * one-time {@code completionCode}, and the opener's signed-in page completes the flow.
     */
    record Authorized(String sessionId, String completionCode, Optional<String> nonce) implements CallbackResult {
        @Override
        public String toString() {
            return "Authorized[" + sessionId + "]";
        }
    }

    /** An account was connected: a new connection, or the existing one for the same account. */
    record Connected(String connectionId, boolean created) implements CallbackResult {
    }

    /** No connection; {@code error} is a code the builder can show. */
    record Failed(String error) implements CallbackResult {
    }
}
