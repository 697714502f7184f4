package app.connections.oauth;

import java.time.Instant;
import java.util.Optional;

/** Port: connect sessions and their one-time OAuth {@code state} values. */
public interface ConnectSessionStore {
    void create(ConnectSession session);

    Optional<ConnectSession> find(String sessionId);

    /** Saves a change made to the session at {@code session.version()}; false if someone else changed it first. */
    boolean update(ConnectSession session);

    /** Records a fresh {@code state} for the session, usable once until {@code expiresAt}. */
    void putState(String state, String sessionId, Instant expiresAt);

    /** Uses up a state: the session it names, only the first time and only before it expires. */
    Optional<String> consumeState(String state, Instant now);
}
