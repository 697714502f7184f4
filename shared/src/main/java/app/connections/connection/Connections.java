package app.connections.connection;

import app.connections.catalog.CredentialKind;
import app.connections.auth.BuilderUser;
import app.connections.catalog.App;
import app.connections.catalog.AppCatalog;
import app.connections.events.ConnectionEvent;
import app.connections.platform.InvalidField;
import app.connections.platform.InvalidState;
import app.connections.connection.lifecycle.Revocations;
import app.connections.connection.lifecycle.Reauthorizations;
import app.connections.vault.Credential;
import app.connections.vault.SecretOwner;
import app.connections.vault.Vault;
import app.connections.workspace.WorkspaceAccess;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Use cases of connections in the builder: connect with an API key, the picker, read, rename and
 * revoke. Access is checked first in every one (another tenant's ids are "not found").
 */
public final class Connections {
    public static final int MAX_KEY_BYTES = 4096;
    public static final int DEFAULT_PAGE_SIZE = 25;
    public static final int MAX_PAGE_SIZE = 100;
    private static final Pattern KEY_CHARS = Pattern.compile("^[\\x21-\\x7e]+$");

    private final ConnectionStore store;
    private final ConnectionAccess access;
    private final AppCatalog catalog;
    private final Vault vault;
    private final ApiKeyCheck keyCheck;
    private final Fingerprinter fingerprinter;
    private final Reauthorizations reauthorizations;
    private final Revocations revocations;
    private final Clock clock;
    private final int recoveryWindowDays;

    public Connections(ConnectionStore store, WorkspaceAccess access, AppCatalog catalog, Vault vault, ApiKeyCheck keyCheck,
                       Fingerprinter fingerprinter, Reauthorizations reauthorizations,
                       Revocations revocations, Clock clock, int recoveryWindowDays) {
        this.store = store;
        this.access = new ConnectionAccess(access, store);
        this.catalog = catalog;
        this.vault = vault;
        this.keyCheck = keyCheck;
        this.fingerprinter = fingerprinter;
        this.reauthorizations = reauthorizations;
        this.revocations = revocations;
        this.clock = clock;
        this.recoveryWindowDays = recoveryWindowDays;
    }

    /**
     * Connects an app with an API key: validates everything, tries the key at the app, then stores
     * it — or, for an external account already connected in this scope, updates that connection.
     */
    public ConnectResult connectWithKey(BuilderUser caller, Target target, NewKeyConnection request) {
        String accountId = access.requireAdmin(caller, target);
        App app = catalog.find(request.app()).orElseThrow(() -> new InvalidField("app", "unknown app"));
        CredentialKind kind = request.credentialKind() == null ? CredentialKind.API_KEY : request.credentialKind();
        if (kind == CredentialKind.OAUTH2 && app.supports(CredentialKind.OAUTH2)) {
            throw new InvalidField("credentialKind", "OAuth 2.0 connections are created through a connect session");
        }
        if (kind != CredentialKind.API_KEY || !app.supports(kind)) {
            throw new InvalidField("credentialKind", app.name() + " does not take " + kind + " connections here");
        }
        String label = Labels.require(request.label());
        String apiKey = requireKey(app, request.credentials());
        Map<String, String> fields = app.validateFields(request.fields(), CredentialKind.API_KEY);

        ApiKeyCheck.Checked checked = keyCheck.check(app, apiKey, fields);
        String fingerprint = fingerprinter.fingerprint(app.key(), canonical(apiKey, fields));
        String identity = checked.identity().orElse(fingerprint); // the fingerprint is a dedupe key only, never shown
        Optional<String> workspaceId = target.scope() == Scope.WORKSPACE ? Optional.of(target.ownerId()) : Optional.empty();
        IdentityKey identityKey = IdentityKey.of(accountId, target.scope(), target.ownerId(), app.key(), identity);
        Credential credential = new Credential(Map.of("apiKey", apiKey));

        Optional<String> holder = store.holderOf(identityKey);
        if (holder.isPresent()) {
            return new ConnectResult.Deduplicated(replaceCredential(holder.get(), fields, credential, fingerprint,
                    checked.display()));
        }
        Instant now = clock.instant();
        String id = UUID.randomUUID().toString();
        SecretOwner owner = new SecretOwner(accountId, workspaceId, id, app.key());
        var secret = vault.create(owner, credential);
        Connection fresh = Connection.create(id, accountId, workspaceId, target.scope(), app.key(), label, kind,
                ConnectionStatus.ACTIVE, fields, caller.userId(), now)
                .withCredential(fields, secret, fingerprint, now).withExternalIdentity(identity, checked.display());
        return switch (store.createClaiming(fresh, identityKey,
                java.util.List.of(ConnectionEvents.of(ConnectionEvent.CREATED, fresh, null, now)))) {
            case ConnectionStore.IdentityClaim.Claimed claimed -> new ConnectResult.Created(claimed.connection());
            case ConnectionStore.IdentityClaim.HeldBy held -> {
                // Lost a race with a concurrent connect of the same account: keep theirs, drop our secret.
                vault.scheduleDeletion(secret, recoveryWindowDays);
                yield new ConnectResult.Deduplicated(replaceCredential(held.connectionId(), fields, credential, fingerprint,
                        checked.display()));
            }
        };
    }

    /** The picker: connections a workspace member may put on a node, filtered by app and kinds, sorted by label. */
    public Page<Connection> picker(BuilderUser caller, String workspaceId, Optional<String> app,
                                   Set<CredentialKind> kinds, Optional<Integer> limit, Optional<String> pageToken) {
        access.workspaces().requireMember(caller, workspaceId);
        app.ifPresent(key -> catalog.find(key).orElseThrow(() -> new InvalidField("app", "unknown app")));
        int size = limit.orElse(DEFAULT_PAGE_SIZE);
        if (size < 1 || size > MAX_PAGE_SIZE) {
            throw new InvalidField("limit", "limit must be 1 to " + MAX_PAGE_SIZE);
        }
        return store.picker(caller.accountId(), workspaceId, app, kinds, size, pageToken);
    }

    public Connection get(BuilderUser caller, Target target, String connectionId) {
        return access.visible(caller, target, connectionId);
    }

    public Connection rename(BuilderUser caller, Target target, String connectionId, String label) {
        Connection connection = access.visible(caller, target, connectionId);
        access.requireAdminOf(caller, target);
        String newLabel = Labels.require(label);
        if (connection.status() == ConnectionStatus.REVOKED) {
            throw new InvalidState("connection_revoked", "a revoked connection cannot be changed");
        }
        return store.update(connection.withLabel(newLabel, clock.instant()));
    }

    /**
     * Revokes through the one revocation path (OAuth tokens also at the provider): the record stays
     * (REVOKED) for audit, its id is never reused, the secret is scheduled for deletion, and
     * {@code Connection Revoked} is published once. Revoking again changes nothing.
     */
    public Connection revoke(BuilderUser caller, Target target, String connectionId) {
        Connection connection = access.visible(caller, target, connectionId);
        access.requireAdminOf(caller, target);
        return revocations.revoke(connection, "revoked_by_user");
    }

    /** Parses the picker's {@code authKind} filter: one or more kinds, comma-separated. */
    public static Set<CredentialKind> parseKinds(Optional<String> value) {
        Set<CredentialKind> kinds = EnumSet.noneOf(CredentialKind.class);
        value.ifPresent(v -> {
            for (String part : v.split(",")) {
                try {
                    kinds.add(CredentialKind.valueOf(part.strip().toUpperCase(Locale.ROOT)));
                } catch (IllegalArgumentException e) {
                    throw new InvalidField("authKind", "authKind must be among OAUTH2, API_KEY, BASIC, DSN, CUSTOM");
                }
            }
        });
        return kinds;
    }

    private Connection replaceCredential(String connectionId, Map<String, String> fields, Credential credential,
                                         String fingerprint, Optional<String> display) {
        return VersionedWrites.retryOnStale(attempt -> {
            Connection existing = store.find(connectionId).orElseThrow(() -> new IllegalStateException(
                    "identity claim points at a missing connection " + connectionId));
            boolean changed = !existing.secretFingerprint().equals(Optional.of(fingerprint)) || !existing.fields().equals(fields);
            boolean shown = existing.externalAccount().equals(display);
            if (!changed && shown && existing.status() == ConnectionStatus.ACTIVE) {
                return existing; // a retry of the same connect: nothing to write
            }
            Instant now = clock.instant();
            var ref = existing.secretRef().orElseThrow();
            if (changed) {
                vault.putVersion(ref, new SecretOwner(existing.accountId(), existing.workspaceId(), existing.id(), existing.app()), credential);
            }
            Connection toWrite = existing.withCredential(fields, ref, fingerprint, now).withExternalAccount(display).activated(now);
            Optional<Reauthorizations.Announcement> announcement = existing.status() == ConnectionStatus.ERROR
                    ? Optional.of(reauthorizations.announcement(toWrite, now)) : Optional.empty();
            Connection updated = store.update(toWrite, announcement.map(a -> java.util.List.of(a.event())).orElse(java.util.List.of()));
            announcement.ifPresent(reauthorizations::announced);
            return updated;
        });
    }

    private static String requireKey(App app, Map<String, String> credentials) {
        for (String name : credentials.keySet()) {
            if (!name.equals("apiKey")) {
                throw new InvalidField("credentials." + name, "unknown credential " + name);
            }
        }
        String key = credentials.get("apiKey");
        if (key == null || key.isBlank()) {
            throw new InvalidField("credentials.apiKey", app.apiKey().label() + " is required");
        }
        key = key.strip();
        if (key.getBytes(StandardCharsets.UTF_8).length > MAX_KEY_BYTES) {
            throw new InvalidField("credentials.apiKey", app.apiKey().label() + " must be at most " + MAX_KEY_BYTES + " bytes");
        }
        if (!KEY_CHARS.matcher(key).matches()
                || (app.apiKey().pattern() != null && !Pattern.compile(app.apiKey().pattern()).matcher(key).matches())) {
            throw new InvalidField("credentials.apiKey", app.apiKey().label() + " does not look like a " + app.name() + " key");
        }
        return key;
    }

    private static String canonical(String apiKey, Map<String, String> fields) {
        return apiKey + "\n" + new java.util.TreeMap<>(fields);
    }
}
