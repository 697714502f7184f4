package app.connections.resolve;

import app.connections.connection.Connection;
import app.connections.platform.ExpiringCache;
import app.connections.vault.Credential;
import java.time.Clock;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * Credentials the resolver has read, kept in this execution environment for a short time so a run
 * with many steps does not read and decrypt the same secret at every step.
 *
 * <p>An entry belongs to one version of one connection record: every change to a connection
 * (token refreshed or rotated, status changed, reconnected, revoked) saves a new record version,
 * and the resolver reads the record before it asks here, so a change is never answered from an
 * older entry. Entries also expire after {@code ttl}, and the cache holds at most
 * {@code maxEntries} (least recently used first out). Nothing is written to disk or logged.
 */
public final class CredentialCache {
    private record Key(String connectionId, long version) {
    }

    private final ExpiringCache<Key, Credential> entries;

    public CredentialCache(Duration ttl, int maxEntries, Clock clock) {
        this.entries = new ExpiringCache<>(ttl, maxEntries, clock);
    }

    /** The credential of this record version, read through {@code read} when not held or expired. */
    public Credential get(Connection connection, Supplier<Credential> read) {
        Key key = new Key(connection.id(), connection.version());
        return entries.get(key).orElseGet(() -> {
            Credential credential = read.get();
            entries.removeIf(k -> k.connectionId().equals(connection.id()) && k.version() < connection.version());
            entries.put(key, credential);
            return credential;
        });
    }

    /** Forgets everything (used before a SnapStart snapshot, so no credential is ever in one). */
    public void clear() {
        entries.clear();
    }
}
