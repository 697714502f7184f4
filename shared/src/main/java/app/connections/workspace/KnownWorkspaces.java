package app.connections.workspace;

import app.connections.platform.ExpiringCache;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
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

    private final WorkspaceRegistry registry;
    private final ExpiringCache<Key, Workspace> known;

    public KnownWorkspaces(WorkspaceRegistry registry, Duration ttl, int maxEntries, Clock clock) {
        this.registry = registry;
        this.known = new ExpiringCache<>(ttl, maxEntries, clock);
    }

    @Override
    public void put(Workspace workspace) {
        registry.put(workspace);
        Key key = new Key(workspace.accountId(), workspace.id());
        known.removeIf(key::equals);
    }

    @Override
    public Optional<Workspace> find(String accountId, String workspaceId) {
        Key key = new Key(accountId, workspaceId);
        return known.get(key).or(() -> {
            Optional<Workspace> found = registry.find(accountId, workspaceId);
            found.ifPresent(w -> known.put(key, w));
            return found;
        });
    }

    @Override
    public List<Workspace> list(String accountId) {
        return registry.list(accountId);
    }
}
