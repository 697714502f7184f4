package app.connections.grant;

import app.connections.connection.Connection;
import java.util.List;
import java.util.Optional;

/** Port: grants, each kept with a copy of its connection so the workspace's picker lists it. */
public interface GrantStore {
    /**
     * Creates or updates (the cap of) a grant with its copy of {@code connection}; true when it is
     * new. Only while the connection is still at the version copied and not REVOKED, and never over
     * a newer copy: otherwise {@code StaleVersion} (read the connection again).
     */
    boolean put(Grant grant, Connection connection);

    Optional<Grant> find(String connectionId, String workspaceId);

    List<Grant> of(String connectionId);

    /** True when a grant was there to delete. */
    boolean delete(String connectionId, String workspaceId);
}
