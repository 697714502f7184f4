package app.connections.oauth;

import java.time.Duration;
import java.util.Optional;

/**
 * A token endpoint refused or failed, classified for what to do next (never holds a token).
 */
public final class TokenRequestFailed extends RuntimeException {
    /** What a failure means for the connection. */
    public enum Kind {
        /** The grant is gone (revoked, expired, password changed): the user must reauthorize. */
        INVALID_GRANT,
        /** Our OAuth app's own credentials were refused: an operator problem, not the user's. */
        INVALID_CLIENT,
        /** 5xx, 429, timeouts, network: try again later. */
        TRANSIENT,
        /** Any other refusal (bad request): not retried automatically. */
        REJECTED
    }

    private final Kind kind;
    private final Optional<Duration> retryAfter;

    public TokenRequestFailed(Kind kind, String message, Optional<Duration> retryAfter, Throwable cause) {
        super(message, cause);
        this.kind = kind;
        this.retryAfter = retryAfter;
    }

    public Kind kind() {
        return kind;
    }

    /** The provider's Retry-After, when it sent one. */
    public Optional<Duration> retryAfter() {
        return retryAfter;
    }
}
