package app.connections.vault;

import java.util.Objects;
import java.util.Optional;

/**
 * The connection a secret belongs to. It names the secret, tags it, and is the encryption
 * context: a secret read on behalf of another owner fails to decrypt.
 */
public record SecretOwner(String accountId, Optional<String> workspaceId, String connectionId, String app) {
    public SecretOwner {
        Objects.requireNonNull(accountId, "accountId");
        Objects.requireNonNull(workspaceId, "workspaceId");
        Objects.requireNonNull(connectionId, "connectionId");
        Objects.requireNonNull(app, "app");
    }
}
