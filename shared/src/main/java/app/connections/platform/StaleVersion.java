package app.connections.platform;

/**
 * The store's answer to a write made from a version someone else has changed since (or an id that
 * exists already): read again and decide again. Not a caller's mistake: {@link VersionedWrites}
 * retries it; one that escapes every retry is answered as a conflict.
 */
public final class StaleVersion extends RuntimeException {
    public StaleVersion(String message, Throwable cause) {
        super(message, cause);
    }
}
