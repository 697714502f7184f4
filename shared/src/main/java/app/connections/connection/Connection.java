package app.connections.connection;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A stored credential to a third-party app: who we are to that app, not the data that flows
 * through it. The secret itself is behind {@link #secretRef()}, resolved only at run time.
 *
 * @param workspaceId present for {@link Scope#WORKSPACE}, absent for {@link Scope#ACCOUNT}
 * @param fields the app's extra fields (subdomain, shop, tenant…): configuration, not secret
 * @param externalIdentity the app's identity of the connected account (dedupe key), once known
 * @param secretFingerprint keyed fingerprint of the current secret, to tell a real change from a retry
 * @param authorizedBy the person who gave consent (OAuth), once known
 * @param version optimistic-lock counter; 0 before the first save
 */
public record Connection(
        String id,
        String accountId,
        Optional<String> workspaceId,
        Scope scope,
        String app,
        String label,
        CredentialKind credentialKind,
        ConnectionStatus status,
        Map<String, String> fields,
        Optional<SecretRef> secretRef,
        Optional<String> externalIdentity,
        Optional<String> secretFingerprint,
        String createdBy,
        Optional<String> authorizedBy,
        Instant createdAt,
        Instant updatedAt,
        long version) {

    public static final int MAX_LABEL_LENGTH = 100;

    public Connection {
        requireId(id, "id");
        requireId(accountId, "accountId");
        Objects.requireNonNull(workspaceId, "workspaceId");
        Objects.requireNonNull(scope, "scope");
        workspaceId.ifPresent(ws -> requireId(ws, "workspaceId"));
        if (scope == Scope.WORKSPACE && workspaceId.isEmpty()) {
            throw new IllegalArgumentException("a workspace-scoped connection needs a workspaceId");
        }
        if (scope == Scope.ACCOUNT && workspaceId.isPresent()) {
            throw new IllegalArgumentException("an account-scoped connection belongs to no workspace");
        }
        requireId(app, "app");
        label = Labels.require(label);
        Objects.requireNonNull(credentialKind, "credentialKind");
        Objects.requireNonNull(status, "status");
        fields = Map.copyOf(Objects.requireNonNull(fields, "fields"));
        Objects.requireNonNull(secretRef, "secretRef");
        Objects.requireNonNull(externalIdentity, "externalIdentity");
        Objects.requireNonNull(secretFingerprint, "secretFingerprint");
        requireId(createdBy, "createdBy");
        Objects.requireNonNull(authorizedBy, "authorizedBy");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(updatedAt, "updatedAt");
        if (version < 0) {
            throw new IllegalArgumentException("version must not be negative");
        }
    }

    /** The owner of the scope: the workspace for workspace scope, the account for account scope. */
    public String scopeOwner() {
        return workspaceId.orElse(accountId);
    }

    public Connection withLabel(String newLabel, Instant now) {
        return new Connection(id, accountId, workspaceId, scope, app, newLabel, credentialKind, status, fields, secretRef,
                externalIdentity, secretFingerprint, createdBy, authorizedBy, createdAt, now, version);
    }

    public Connection withStatus(ConnectionStatus newStatus, Instant now) {
        return new Connection(id, accountId, workspaceId, scope, app, label, credentialKind, newStatus, fields, secretRef,
                externalIdentity, secretFingerprint, createdBy, authorizedBy, createdAt, now, version);
    }

    /** The connection's credential replaced: new fields, secret fingerprint and (when moved) reference. */
    public Connection withCredential(Map<String, String> newFields, SecretRef ref, String fingerprint, Instant now) {
        return new Connection(id, accountId, workspaceId, scope, app, label, credentialKind, status, newFields,
                Optional.of(ref), externalIdentity, Optional.of(fingerprint), createdBy, authorizedBy, createdAt, now, version);
    }

    /** The connect flow finished for this external account, authorized by this person. */
    public Connection authorized(String identity, String person, SecretRef ref, Instant now) {
        return new Connection(id, accountId, workspaceId, scope, app, label, credentialKind, ConnectionStatus.ACTIVE, fields,
                Optional.of(ref), Optional.of(identity), secretFingerprint, createdBy, Optional.of(person), createdAt, now, version);
    }

    public Connection withVersion(long newVersion) {
        return new Connection(id, accountId, workspaceId, scope, app, label, credentialKind, status, fields, secretRef,
                externalIdentity, secretFingerprint, createdBy, authorizedBy, createdAt, updatedAt, newVersion);
    }

    static void requireId(String value, String name) {
        Objects.requireNonNull(value, name);
        if (value.isBlank() || value.length() > 128) {
            throw new IllegalArgumentException(name + " must be 1 to 128 characters");
        }
    }
}
