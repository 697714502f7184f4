package app.connections.workspace;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The workspace registry as the access checks use it, remembering workspaces it has found for a
 * few minutes in this execution environment: a workspace is never deleted, so a positive answer
 * stays true, and the picker's page then costs its one Query and nothing else. A workspace not
 * found is asked for again every time (a new one is usable at once). A rename reaches the cached
 * name within {@code ttl}; access checks do not depend on names.
 */
public final class KnownWorkspaces implements WorkspaceRegistry {
    private record Key(String accountId, String workspaceId) {
    }

    private record Held(Workspace workspace, Instant until) {
    }

    private final WorkspaceRegistry registry;
    private final Duration ttl;
    private final Clock clock;
    private final Map<Key, Held> known;

    public KnownWorkspaces(WorkspaceRegistry registry, Duration ttl, int maxEntries, Clock clock) {
        this.registry = registry;
        this.ttl = ttl;
        this.clock = clock;
        this.known = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Key, Held> eldest) {
                return size() > maxEntries;
            }
        };
    }

    @Override
    public void put(Workspace workspace) {
        registry.put(workspace);
        synchronized (known) {
            known.remove(new Key(workspace.accountId(), workspace.id()));
        }
    }

    @Override
    public Optional<Workspace> find(String accountId, String workspaceId) {
        Key key = new Key(accountId, workspaceId);
        Instant now = clock.instant();
        synchronized (known) {
            Held held = known.get(key);
            if (held != null && now.isBefore(held.until())) {
                return Optional.of(held.workspace());
            }
        }
        Optional<Workspace> found = registry.find(accountId, workspaceId);
        found.ifPresent(w -> {
            synchronized (known) {
                known.put(key, new Held(w, now.plus(ttl)));
            }
        });
        return found;
    }

    @Override
    public List<Workspace> list(String accountId) {
        return registry.list(accountId);
    }
}
