package app.connections.resolve;

import app.connections.connection.Connection;
import app.connections.vault.Credential;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
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

    private record Held(Credential credential, Instant expiresAt) {
    }

    private final Duration ttl;
    private final int maxEntries;
    private final Clock clock;
    private final Map<Key, Held> entries;
    private long hits;
    private long misses;

    public CredentialCache(Duration ttl, int maxEntries, Clock clock) {
        if (ttl.isNegative()) {
            throw new IllegalArgumentException("ttl must not be negative");
        }
        if (maxEntries < 0) {
            throw new IllegalArgumentException("maxEntries must not be negative");
        }
        this.ttl = ttl;
        this.maxEntries = maxEntries;
        this.clock = clock;
        this.entries = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Key, Held> eldest) {
                return size() > CredentialCache.this.maxEntries;
            }
        };
    }

    /** No caching: every resolve reads the vault. */
    public static CredentialCache disabled(Clock clock) {
        return new CredentialCache(Duration.ZERO, 0, clock);
    }

    /** The credential of this record version, read through {@code read} when not held or expired. */
    public Credential get(Connection connection, Supplier<Credential> read) {
        if (maxEntries == 0 || ttl.isZero()) {
            return read.get();
        }
        Key key = new Key(connection.id(), connection.version());
        Instant now = clock.instant();
        synchronized (entries) {
            Held entry = entries.get(key);
            if (entry != null && now.isBefore(entry.expiresAt())) {
                hits++;
                return entry.credential();
            }
        }
        Credential credential = read.get();
        synchronized (entries) {
            misses++;
            entries.keySet().removeIf(k -> k.connectionId().equals(connection.id()) && k.version() < connection.version());
            entries.put(key, new Held(credential, now.plus(ttl)));
        }
        return credential;
    }

    /** Forgets everything (used before a SnapStart snapshot, so no credential is ever in one). */
    public void clear() {
        synchronized (entries) {
            entries.clear();
        }
    }

    public long hits() {
        synchronized (entries) {
            return hits;
        }
    }

    public long misses() {
        synchronized (entries) {
            return misses;
        }
    }
}
