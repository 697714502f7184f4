package app.connections.connection;

import app.connections.platform.StaleVersion;

/**
 * The one rule for writing a connection that others may write meanwhile (a rename, a refresh, a
 * reconnect, a revoke): read, decide, write with the version read; when the store answers
 * {@link StaleVersion}, read again and decide again — at most {@value #ATTEMPTS} times, after which
 * the last {@link StaleVersion} is thrown.
 */
public final class VersionedWrites {
    public static final int ATTEMPTS = 3;

    private VersionedWrites() {
    }

    /** One read-decide-write; throws {@link StaleVersion} to be tried again from a fresh read. */
    @FunctionalInterface
    public interface Attempt<T> {
        T run(int attempt);
    }

    public static <T> T retryOnStale(Attempt<T> attempt) {
        for (int i = 0; ; i++) {
            try {
                return attempt.run(i);
            } catch (StaleVersion stale) {
                if (i + 1 >= ATTEMPTS) {
                    throw stale;
                }
            }
        }
    }
}
