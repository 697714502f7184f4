package app.connections.oauth;

/**
 * Port: keeps an authorization code sealed between the callback and the completion by the
 * session's creator (bound to its connect session, so a sealed code moved to another session does
 * not open). The code itself is never stored in the clear and never leaves the service.
 */
public interface CodeSeal {
    String seal(String sessionId, String code);

    /** The code sealed for {@code sessionId}; fails if it was sealed for another session. */
    String open(String sessionId, String sealed);
}
