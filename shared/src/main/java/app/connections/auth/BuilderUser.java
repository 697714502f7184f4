package app.connections.auth;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/** A person signed in to the visual builder (builder user pool). */
public record BuilderUser(String userId, String accountId, AccountRole accountRole,
                          Map<String, WorkspaceRole> workspaceRoles) implements Principal {

    public BuilderUser {
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(accountId, "accountId");
        Objects.requireNonNull(accountRole, "accountRole");
        workspaceRoles = Map.copyOf(workspaceRoles);
    }

    public boolean isAccountAdmin() {
        return accountRole == AccountRole.ADMIN;
    }

    /**
     * The caller's role in a workspace of its own account; an account admin is admin of every one.
     * The caller must already have checked that the workspace belongs to {@link #accountId()}.
     */
    public Optional<WorkspaceRole> roleIn(String workspaceId) {
        if (isAccountAdmin()) {
            return Optional.of(WorkspaceRole.ADMIN);
        }
        return Optional.ofNullable(workspaceRoles.get(workspaceId));
    }
}
