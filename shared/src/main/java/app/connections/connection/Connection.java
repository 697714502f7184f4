package app.connections.connection;

import app.connections.ids.WorkspaceId;
import app.connections.ids.ConnectionId;
import app.connections.ids.AccountId;
import app.connections.vault.SecretRef;
import app.connections.catalog.CredentialKind;
import app.connections.platform.InvalidState;
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
 * @param externalAccount how people tell the connected account apart (the provider's account id,
 *        e-mail or name, a subdomain or shop): a display value read from the same identity the
 *        service records, never a secret or a fingerprint; absent when the app names no account
 * @param secretFingerprint keyed fingerprint of the current secret, to tell a real change from a retry
 * @param tokenSchedule an OAuth connection's access-token timetable
 * @param statusReason why the status is what it is (e.g. {@code invalid_grant} for ERROR)
 * @param statusSince when the status last changed
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
        Optional<String> externalAccount,
        Optional<String> secretFingerprint,
        Optional<TokenSchedule> tokenSchedule,
        Optional<String> statusReason,
        Instant statusSince,
        String createdBy,
        Optional<String> authorizedBy,
        Instant createdAt,
        Instant updatedAt,
        long version) {

    public static final int MAX_LABEL_LENGTH = 100;

    public Connection {
        ConnectionId.require("id", id);
        AccountId.require("accountId", accountId);
        Objects.requireNonNull(workspaceId, "workspaceId");
        Objects.requireNonNull(scope, "scope");
        workspaceId.ifPresent(ws -> WorkspaceId.require("workspaceId", ws));
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
        Objects.requireNonNull(externalAccount, "externalAccount");
        Objects.requireNonNull(secretFingerprint, "secretFingerprint");
        Objects.requireNonNull(tokenSchedule, "tokenSchedule");
        Objects.requireNonNull(statusReason, "statusReason");
        Objects.requireNonNull(statusSince, "statusSince");
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

    /** A new connection, in {@code status} since {@code now}. */
    public static Connection create(String id, String accountId, Optional<String> workspaceId, Scope scope, String app,
                                    String label, CredentialKind kind, ConnectionStatus status, Map<String, String> fields,
                                    String createdBy, Instant now) {
        return new Connection(id, accountId, workspaceId, scope, app, label, kind, status, fields, Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), now, createdBy,
                Optional.empty(),
                now, now, 0);
    }

    public Connection withLabel(String newLabel, Instant now) {
        return copy().label(newLabel).updatedAt(now).build();
    }

    // ---- status transitions: the only ways the status changes. REVOKED is terminal. ----
    //
    //   PENDING --activated/authorized--> ACTIVE --markedError--> ERROR --activated/authorized--> ACTIVE
    //   any status but REVOKED --revoked--> REVOKED

    /** ACTIVE with the credential it holds (an API key connected or replaced, the same account again). */
    public Connection activated(Instant now) {
        requireNotRevoked("activated");
        return status(ConnectionStatus.ACTIVE, Optional.empty(), now);
    }

    /** ERROR: the credential failed for good ({@code reason}, e.g. {@code invalid_grant}); only an ACTIVE one can. */
    public Connection markedError(String reason, Instant now) {
        if (status != ConnectionStatus.ACTIVE && status != ConnectionStatus.ERROR) {
            throw new InvalidState("connection_" + status.name().toLowerCase(java.util.Locale.ROOT),
                    "a " + status.name().toLowerCase(java.util.Locale.ROOT) + " connection cannot fail");
        }
        return status(ConnectionStatus.ERROR, Optional.of(reason), now);
    }

    /** REVOKED, for good ({@code reason}, e.g. {@code revoked_by_client}). */
    public Connection revoked(String reason, Instant now) {
        requireNotRevoked("revoked again");
        return status(ConnectionStatus.REVOKED, Optional.of(reason), now);
    }

    /** Whether this status can still change (everything but REVOKED). */
    public boolean isRevoked() {
        return status == ConnectionStatus.REVOKED;
    }

    private void requireNotRevoked(String what) {
        if (isRevoked()) {
            throw new InvalidState("connection_revoked", "a revoked connection cannot be " + what + "; connect the app again");
        }
    }

    /** The status changes (the reason and "since" with it); unchanged status keeps its "since". */
    private Connection status(ConnectionStatus newStatus, Optional<String> reason, Instant now) {
        Copy c = copy().status(newStatus).statusReason(reason).updatedAt(now);
        if (newStatus != status) {
            c.statusSince(now);
        }
        return c.build();
    }

    /** The connection's credential replaced: new fields, secret fingerprint and reference. */
    public Connection withCredential(Map<String, String> newFields, SecretRef ref, String fingerprint, Instant now) {
        return copy().fields(newFields).secretRef(Optional.of(ref)).secretFingerprint(Optional.of(fingerprint))
                .updatedAt(now).build();
    }

    /** The same credential, now kept under {@code ref} (moved to another store, or re-sealed there). */
    public Connection movedTo(SecretRef ref, Instant now) {
        return copy().secretRef(Optional.of(ref)).updatedAt(now).build();
    }

    /** The external account this credential belongs to: its identity (dedupe key) and its display value, if any. */
    public Connection withExternalIdentity(String identity, Optional<String> display) {
        return copy().externalIdentity(Optional.of(identity)).externalAccount(display).build();
    }

    /** The display value of the external account, as the latest connect read it. */
    public Connection withExternalAccount(Optional<String> display) {
        return copy().externalAccount(display).build();
    }

    public Connection withTokenSchedule(TokenSchedule schedule, Instant now) {
        return copy().tokenSchedule(Optional.of(schedule)).updatedAt(now).build();
    }

    /** The connect flow finished for this external account, authorized by this person: ACTIVE with fresh tokens. */
    public Connection authorized(String identity, String display, String person, SecretRef ref, TokenSchedule schedule,
                                 Instant now) {
        requireNotRevoked("authorized");
        return status(ConnectionStatus.ACTIVE, Optional.empty(), now).copy().secretRef(Optional.of(ref))
                .externalIdentity(Optional.of(identity)).externalAccount(Optional.of(display))
                .authorizedBy(Optional.of(person)).tokenSchedule(Optional.of(schedule)).build();
    }

    /** As above, the identity being its own display value (an account id). */
    public Connection authorized(String identity, String person, SecretRef ref, TokenSchedule schedule, Instant now) {
        return authorized(identity, identity, person, ref, schedule, now);
    }

    public Connection withVersion(long newVersion) {
        return copy().version(newVersion).build();
    }

    private Copy copy() {
        return new Copy(this);
    }

    /** A changed copy, so each {@code with…} names only what it changes. */
    private static final class Copy {
        private String label;
        private ConnectionStatus status;
        private Map<String, String> fields;
        private Optional<SecretRef> secretRef;
        private Optional<String> externalIdentity;
        private Optional<String> externalAccount;
        private Optional<String> secretFingerprint;
        private Optional<TokenSchedule> tokenSchedule;
        private Optional<String> statusReason;
        private Instant statusSince;
        private Optional<String> authorizedBy;
        private Instant updatedAt;
        private long version;
        private final Connection from;

        Copy(Connection c) {
            from = c;
            label = c.label;
            status = c.status;
            fields = c.fields;
            secretRef = c.secretRef;
            externalIdentity = c.externalIdentity;
            externalAccount = c.externalAccount;
            secretFingerprint = c.secretFingerprint;
            tokenSchedule = c.tokenSchedule;
            statusReason = c.statusReason;
            statusSince = c.statusSince;
            authorizedBy = c.authorizedBy;
            updatedAt = c.updatedAt;
            version = c.version;
        }

        Copy label(String v) { label = v; return this; }
        Copy status(ConnectionStatus v) { status = v; return this; }
        Copy fields(Map<String, String> v) { fields = v; return this; }
        Copy secretRef(Optional<SecretRef> v) { secretRef = v; return this; }
        Copy externalIdentity(Optional<String> v) { externalIdentity = v; return this; }
        Copy externalAccount(Optional<String> v) { externalAccount = v; return this; }
        Copy secretFingerprint(Optional<String> v) { secretFingerprint = v; return this; }
        Copy tokenSchedule(Optional<TokenSchedule> v) { tokenSchedule = v; return this; }
        Copy statusReason(Optional<String> v) { statusReason = v; return this; }
        Copy statusSince(Instant v) { statusSince = v; return this; }
        Copy authorizedBy(Optional<String> v) { authorizedBy = v; return this; }
        Copy updatedAt(Instant v) { updatedAt = v; return this; }
        Copy version(long v) { version = v; return this; }

        Connection build() {
            return new Connection(from.id, from.accountId, from.workspaceId, from.scope, from.app, label,
                    from.credentialKind, status, fields, secretRef, externalIdentity, externalAccount, secretFingerprint, tokenSchedule,
                    statusReason, statusSince, from.createdBy, authorizedBy, from.createdAt, updatedAt, version);
        }
    }

    static void requireId(String value, String name) {
        Objects.requireNonNull(value, name);
        if (value.isBlank() || value.length() > 128) {
            throw new IllegalArgumentException(name + " must be 1 to 128 characters");
        }
    }
}
