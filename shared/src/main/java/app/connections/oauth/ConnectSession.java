package app.connections.oauth;

import app.connections.connection.Scope;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One "Connect New Account" attempt: short-lived, single use, bound to the workspace (or account),
 * the user and the app. Its id is the credential for the popup's one navigation to
 * {@code /oauth/start}; the PKCE verifier never leaves the service.
 */
public record ConnectSession(String id, String accountId, Optional<String> workspaceId, Scope scope, String app,
                             Optional<String> label, Map<String, String> fields, Optional<String> reconnectConnectionId,
                             String userId, Instant createdAt, Instant expiresAt, ConnectSessionStatus status,
                             Optional<String> codeVerifier, Optional<String> pendingConnectionId, long version) {
    public ConnectSession {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(accountId, "accountId");
        Objects.requireNonNull(workspaceId, "workspaceId");
        Objects.requireNonNull(scope, "scope");
        Objects.requireNonNull(app, "app");
        Objects.requireNonNull(label, "label");
        fields = Map.copyOf(fields);
        Objects.requireNonNull(reconnectConnectionId, "reconnectConnectionId");
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(expiresAt, "expiresAt");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(codeVerifier, "codeVerifier");
        Objects.requireNonNull(pendingConnectionId, "pendingConnectionId");
    }

    public String scopeOwner() {
        return workspaceId.orElse(accountId);
    }

    public boolean expiredAt(Instant now) {
        return !now.isBefore(expiresAt);
    }

    public ConnectSession started(String verifier, String pendingId) {
        return new ConnectSession(id, accountId, workspaceId, scope, app, label, fields, reconnectConnectionId, userId,
                createdAt, expiresAt, ConnectSessionStatus.STARTED, Optional.of(verifier), Optional.of(pendingId), version);
    }

    public ConnectSession ended(ConnectSessionStatus end) {
        return new ConnectSession(id, accountId, workspaceId, scope, app, label, fields, reconnectConnectionId, userId,
                createdAt, expiresAt, end, Optional.empty(), pendingConnectionId, version);
    }

    public ConnectSession withVersion(long newVersion) {
        return new ConnectSession(id, accountId, workspaceId, scope, app, label, fields, reconnectConnectionId, userId,
                createdAt, expiresAt, status, codeVerifier, pendingConnectionId, newVersion);
    }

    @Override
    public String toString() {
        return "ConnectSession[" + app + ", " + status + ", expires " + expiresAt + "]";
    }
}
