package app.connections.oauth;

import app.connections.connection.Scope;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One "Connect New Account" attempt: short-lived, single use, bound to the workspace (or account),
 * the user who created it, the page that opened it and the app. Its id is the credential for the
 * popup's one navigation to {@code /oauth/start}; the PKCE verifier never leaves the service. The
 * provider's answer does not finish it: the callback seals the authorization code with the session
 * and hands the popup a one-time completion code, and only the creator, signed in on the page that
 * opened the popup, completes it (docs/security.md, "Consent belongs to the person who started it").
 *
 * @param opener which kind of signed-in page created it (a builder session is never completed with a portal token)
 * @param nonce the opener's own value, echoed in the popup's message so the page knows it is its flow
 * @param sealedCode the authorization code, sealed for this session ({@link CodeSeal}), once the callback came
 * @param completionHash SHA-256 of the one-time completion code the popup posted to the opener
 */
public record ConnectSession(String id, String accountId, Optional<String> workspaceId, Scope scope, String app,
                             Optional<String> label, Map<String, String> fields, Optional<String> reconnectConnectionId,
                             String userId, Opener opener, Optional<String> nonce, Instant createdAt, Instant expiresAt,
                             ConnectSessionStatus status, Optional<String> codeVerifier, Optional<String> pendingConnectionId,
                             Optional<String> sealedCode, Optional<String> completionHash, long version) {
    /** The signed-in page a session belongs to. */
    public enum Opener {
        BUILDER, PORTAL
    }

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
        Objects.requireNonNull(opener, "opener");
        Objects.requireNonNull(nonce, "nonce");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(expiresAt, "expiresAt");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(codeVerifier, "codeVerifier");
        Objects.requireNonNull(pendingConnectionId, "pendingConnectionId");
        Objects.requireNonNull(sealedCode, "sealedCode");
        Objects.requireNonNull(completionHash, "completionHash");
    }

    public String scopeOwner() {
        return workspaceId.orElse(accountId);
    }

    public boolean expiredAt(Instant now) {
        return !now.isBefore(expiresAt);
    }

    /** The popup went to the consent screen: the PKCE verifier and the PENDING connection. */
    public ConnectSession started(String verifier, String pendingId) {
        return new ConnectSession(id, accountId, workspaceId, scope, app, label, fields, reconnectConnectionId, userId, opener,
                nonce, createdAt, expiresAt, ConnectSessionStatus.STARTED, Optional.of(verifier), Optional.of(pendingId),
                Optional.empty(), Optional.empty(), version);
    }

    /** The provider answered with a code: sealed here until the creator completes, with the hash of the completion code. */
    public ConnectSession authorized(String sealed, String completionCodeHash) {
        return new ConnectSession(id, accountId, workspaceId, scope, app, label, fields, reconnectConnectionId, userId, opener,
                nonce, createdAt, expiresAt, ConnectSessionStatus.AUTHORIZED, codeVerifier, pendingConnectionId,
                Optional.of(sealed), Optional.of(completionCodeHash), version);
    }

    /** The creator completed: the code is being exchanged (a second completion finds this and is refused). */
    public ConnectSession completing() {
        return new ConnectSession(id, accountId, workspaceId, scope, app, label, fields, reconnectConnectionId, userId, opener,
                nonce, createdAt, expiresAt, ConnectSessionStatus.COMPLETING, codeVerifier, pendingConnectionId, sealedCode,
                Optional.empty(), version);
    }

    /** Over, one way or the other: nothing that could finish it is kept. */
    public ConnectSession ended(ConnectSessionStatus end) {
        return new ConnectSession(id, accountId, workspaceId, scope, app, label, fields, reconnectConnectionId, userId, opener,
                nonce, createdAt, expiresAt, end, Optional.empty(), pendingConnectionId, Optional.empty(), Optional.empty(),
                version);
    }

    public ConnectSession withVersion(long newVersion) {
        return new ConnectSession(id, accountId, workspaceId, scope, app, label, fields, reconnectConnectionId, userId, opener,
                nonce, createdAt, expiresAt, status, codeVerifier, pendingConnectionId, sealedCode, completionHash, newVersion);
    }

    @Override
    public String toString() {
        return "ConnectSession[" + app + ", " + opener + ", " + status + ", expires " + expiresAt + "]";
    }
}
