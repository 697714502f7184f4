package app.connections.platform;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Values kept in this execution environment for {@code ttl}, at most {@code maxEntries} of them
 * (least recently used out first). A zero TTL or size keeps nothing. Thread-safe.
 */
public final class ExpiringCache<K, V> {
    private record Held<V>(V value, Instant until) {
    }

    private final Duration ttl;
    private final int maxEntries;
    private final Clock clock;
    private final Map<K, Held<V>> entries;

    public ExpiringCache(Duration ttl, int maxEntries, Clock clock) {
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
            protected boolean removeEldestEntry(Map.Entry<K, Held<V>> eldest) {
                return size() > ExpiringCache.this.maxEntries;
            }
        };
    }

    /** The value, unless it was never put, has expired or was pushed out. */
    public synchronized Optional<V> get(K key) {
        Held<V> held = entries.get(key);
        if (held == null) {
            return Optional.empty();
        }
        if (!clock.instant().isBefore(held.until())) {
            entries.remove(key);
            return Optional.empty();
        }
        return Optional.of(held.value());
    }

    public synchronized void put(K key, V value) {
        if (maxEntries > 0 && !ttl.isZero()) {
            entries.put(key, new Held<>(value, clock.instant().plus(ttl)));
        }
    }

    public synchronized void removeIf(Predicate<K> which) {
        entries.keySet().removeIf(which);
    }

    public synchronized void clear() {
        entries.clear();
    }
}
