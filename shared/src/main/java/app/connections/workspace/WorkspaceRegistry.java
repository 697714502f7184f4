package app.connections.workspace;

import java.util.List;
import java.util.Optional;

/** Port: the workspaces of each account. */
public interface WorkspaceRegistry {
    /** Creates or renames a workspace of an account. */
    void put(Workspace workspace);

    /** The workspace, only if it belongs to that account. */
    Optional<Workspace> find(String accountId, String workspaceId);

    /** Every workspace of an account, by id. */
    List<Workspace> list(String accountId);
}
