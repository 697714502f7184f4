package app.connections.resolve;

import app.connections.connection.lifecycle.ParkedRun;
import app.connections.connection.lifecycle.ParkedRuns;
import app.connections.connection.Connection;
import app.connections.connection.ConnectionStatus;
import app.connections.connection.ConnectionStore;
import app.connections.catalog.CredentialKind;
import app.connections.connection.TokenSchedule;
import app.connections.connection.Visibility;
import app.connections.grant.Grant;
import app.connections.grant.Grants;
import app.connections.platform.Metric;
import app.connections.platform.Metrics;
import app.connections.platform.logging.LogFields;
import app.connections.refresh.RefreshOutcome;
import app.connections.refresh.RefreshReason;
import app.connections.refresh.TokenRefresher;
import app.connections.vault.Credential;
import app.connections.vault.SecretOwner;
import app.connections.vault.Vault;
import app.connections.vault.VaultException;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The runtime resolver: a workspace resolves only its own connections. ACTIVE gives the credential
 * (an OAuth token expired or inside the lead window is refreshed first, under the same lease as
 * the refresher; concurrent resolves wait for the one refresh instead of making their own); ERROR
 * parks the step and answers {@code waiting}; REVOKED or anything not visible is {@code denied}.
 * Every resolve leaves an audit record. The connection record is read on every resolve; the
 * credential itself may come from the {@link CredentialCache} for the same record version.
 *
 * <p>A failure of our own storage (DynamoDB, Secrets Manager, KMS) is thrown to the runtime as a
 * failure (audited {@code failed:…}), never turned into a state change; a token that has not expired
 * is handed out even when its refresh failed that way (docs/reliability.md). The one exception is a
 * credential the vault refuses for good (key disabled, ciphertext not this connection's): that is
 * {@code denied/credential_unreadable}, logged once as an error and counted, since a retry cannot help.
 */
public final class Resolver {
    private static final Logger LOG = LoggerFactory.getLogger(Resolver.class);

    private final ConnectionStore store;
    private final Vault vault;
    private final TokenRefresher refresher;
    private final ParkedRuns parked;
    private final AuditLog audit;
    private final Grants grants;
    private final Clock clock;
    private final CredentialCache credentials;
    private final Metrics metrics;

    public Resolver(ConnectionStore store, Vault vault, TokenRefresher refresher, ParkedRuns parked, AuditLog audit,
                    Grants grants, Clock clock, CredentialCache credentials) {
        this(store, vault, refresher, parked, audit, grants, clock, credentials, Metrics.NONE);
    }

    /** @param metrics resolves by outcome, spend reservations and caps reached */
    public Resolver(ConnectionStore store, Vault vault, TokenRefresher refresher, ParkedRuns parked, AuditLog audit,
                    Grants grants, Clock clock, CredentialCache credentials, Metrics metrics) {
        this.metrics = metrics;
        this.credentials = credentials;
        this.store = store;
        this.vault = vault;
        this.refresher = refresher;
        this.parked = parked;
        this.audit = audit;
        this.grants = grants;
        this.clock = clock;
    }

    public ResolveResult resolve(ResolveRequest request) {
        ResolveResult result;
        try {
            result = decide(request);
        } catch (RuntimeException e) {
            String outcome = "failed:" + (e instanceof VaultException v ? (v.retryable() ? "vault_unavailable" : "vault_refused")
                    : "internal_error");
            logged(request, outcome).atError().log("resolve failed: {}", e.getMessage());
            metrics.count(Metric.RESOLVES, outcome);
            try {
                audit.resolved(request, outcome, clock.instant());
            } catch (RuntimeException auditFailed) {
                e.addSuppressed(auditFailed);
            }
            throw e;
        }
        String outcome = switch (result) {
            case ResolveResult.Ok ok -> "ok";
            case ResolveResult.Waiting w -> "waiting:" + w.reason();
            case ResolveResult.Denied d -> "denied:" + d.reason();
        };
        audit.resolved(request, outcome, clock.instant());
        logged(request, outcome).atInfo().log("resolve");
        metrics.count(Metric.RESOLVES, outcome);
        return result;
    }

    /** The resolve's fields on its log line: ids and the outcome, never the credential. */
    private static Logged logged(ResolveRequest request, String outcome) {
        return new Logged(request, outcome);
    }

    private record Logged(ResolveRequest request, String outcome) {
        org.slf4j.spi.LoggingEventBuilder atInfo() {
            return with(LOG.atInfo());
        }

        org.slf4j.spi.LoggingEventBuilder atError() {
            return with(LOG.atError());
        }

        private org.slf4j.spi.LoggingEventBuilder with(org.slf4j.spi.LoggingEventBuilder line) {
            return line.addKeyValue(LogFields.CONNECTION_ID, request.connectionId())
                    .addKeyValue(LogFields.ACCOUNT_ID, request.accountId()).addKeyValue(LogFields.WORKSPACE_ID, request.workspaceId())
                    .addKeyValue(LogFields.RUN_ID, request.runId()).addKeyValue(LogFields.STEP_ID, request.stepId())
                    .addKeyValue(LogFields.OUTCOME, outcome);
        }
    }

    private ResolveResult decide(ResolveRequest request) {
        Optional<Connection> found = store.find(request.connectionId())
                .filter(c -> Visibility.toAccount(c, request.accountId()));
        if (found.isEmpty()) {
            return new ResolveResult.Denied("not_visible");
        }
        Connection c = found.get();
        // own connections of the workspace, or account connections granted to it (a revoked grant: gone at once)
        Optional<Grant> grant = grants.grantOf(c, request.workspaceId());
        if (!Visibility.toRuntime(c, request.accountId(), request.workspaceId(), grant.isPresent())) {
            return new ResolveResult.Denied("not_visible");
        }
        return switch (c.status()) {
            case REVOKED -> new ResolveResult.Denied("revoked");
            case PENDING -> new ResolveResult.Denied("not_visible"); // never visible to runs (above)
            case ERROR -> park(c, request);
            case ACTIVE -> grant.isEmpty() ? active(c, request, Optional.empty()) : metered(c, grant.get(), request);
        };
    }

    /** A granted connection with a cap: reserve the estimate first; no credential past the cap. */
    private ResolveResult metered(Connection c, Grant grant, ResolveRequest request) {
        return switch (grants.reserve(grant, request.estimatedCostMicros().orElse(0L), c)) {
            case Grants.Metering.CapReached reached -> {
                metrics.count(Metric.SPEND_RESERVATIONS, "cap_reached");
                metrics.count(Metric.SPEND_CAP_REACHED, c.app());
                yield new ResolveResult.Denied("spend_cap_reached");
            }
            case Grants.Metering.EstimateExceedsCap tooLarge -> {
                metrics.count(Metric.SPEND_RESERVATIONS, "estimate_exceeds_cap");
                yield new ResolveResult.Denied("estimate_exceeds_cap");
            }
            case Grants.Metering.NotMetered none -> active(c, request, Optional.empty());
            case Grants.Metering.Reserved reserved -> {
                metrics.count(Metric.SPEND_RESERVATIONS, "reserved");
                yield spending(c, request, reserved.reservationId());
            }
        };
    }

    /**
     * The credential against a reservation; a resolve that ends without one (waiting, denied, or a
     * failure) gives the reservation back, so nobody has to settle a call that never happened.
     */
    private ResolveResult spending(Connection c, ResolveRequest request, String reservationId) {
        ResolveResult result;
        try {
            result = active(c, request, Optional.of(reservationId));
        } catch (RuntimeException e) {
            giveBack(c, reservationId, e);
            throw e;
        }
        if (!(result instanceof ResolveResult.Ok)) {
            giveBack(c, reservationId, null);
        }
        return result;
    }

    private void giveBack(Connection c, String reservationId, RuntimeException failure) {
        try {
            grants.release(reservationId);
            metrics.count(Metric.SPEND_RESERVATIONS, "released");
        } catch (RuntimeException e) {
            // it expires and is released by the next reservation that does not fit, or the grant's next view
            LOG.atWarn().addKeyValue(LogFields.CONNECTION_ID, c.id())
                    .log("giving back a spend reservation failed ({}); it is released when it expires", e.getMessage());
            if (failure != null) {
                failure.addSuppressed(e);
            }
        }
    }

    private ResolveResult park(Connection c, ResolveRequest request) {
        parked.park(c.id(), new ParkedRun(request.runId(), request.stepId()), clock.instant());
        return new ResolveResult.Waiting("reauthorization_required");
    }

    private ResolveResult active(Connection c, ResolveRequest request, Optional<String> reservationId) {
        if (c.credentialKind() == CredentialKind.OAUTH2 && c.tokenSchedule().isPresent()) {
            Optional<Connection> fresh = ensureFresh(c, request.credentialRejected());
            if (fresh.isEmpty()) {
                return new ResolveResult.Waiting("refresh_pending");
            }
            c = fresh.get();
            if (c.status() == ConnectionStatus.ERROR) {
                return park(c, request);
            }
            if (c.status() == ConnectionStatus.REVOKED) {
                return new ResolveResult.Denied("revoked"); // revoked while its refresh ran
            }
        }
        Connection current = c;
        Credential credential;
        try {
            credential = credentialOf(current);
        } catch (VaultException e) {
            // the credential moved while we read the record (to another store, by the vault maintenance): read it where it is now
            Optional<Connection> moved = store.find(c.id()).filter(x -> x.status() == ConnectionStatus.ACTIVE
                    && x.secretRef().isPresent() && !x.secretRef().equals(current.secretRef()));
            if (moved.isEmpty()) {
                return unreadable(current, e);
            }
            c = moved.get();
            try {
                credential = credentialOf(c);
            } catch (VaultException again) {
                return unreadable(c, again);
            }
        }
        return new ResolveResult.Ok(shape(c, credential), reservationId);
    }

    /**
     * A credential the vault refuses to open (its KMS key disabled, its ciphertext sealed for another
     * connection, its value malformed or gone) cannot be handed out however often the step is retried:
     * the run is told so ({@code denied/credential_unreadable}), with one error line naming the
     * connection and a {@code CredentialUnreadable} metric for the alarm. Nothing is changed: it is
     * our key or storage, not the user's credential. A store that is only unavailable is a failure
     * (thrown) the runtime retries.
     */
    private ResolveResult unreadable(Connection c, VaultException e) {
        if (e.retryable()) {
            throw e;
        }
        LOG.atError().addKeyValue(LogFields.CONNECTION_ID, c.id()).addKeyValue(LogFields.APP, c.app())
                .addKeyValue(LogFields.OUTCOME, "denied:credential_unreadable")
                .log("the connection's credential does not open: {}", e.getMessage());
        metrics.count(Metric.CREDENTIAL_UNREADABLE, c.app());
        return new ResolveResult.Denied("credential_unreadable");
    }

    private Credential credentialOf(Connection c) {
        return credentials.get(c, () -> vault.read(c.secretRef().orElseThrow(),
                new SecretOwner(c.accountId(), c.workspaceId(), c.id(), c.app())));
    }

    /**
     * The connection with a token usable now: refreshed here when due (under the lease), or by a
     * peer holding the lease (waited for). At most one token request per resolve, whatever the
     * token's lifetime: a token renewed here is handed out even if it is short-lived. Empty when the
     * token cannot be handed out yet (expired, or rejected by the provider, and not renewable now).
     */
    private Optional<Connection> ensureFresh(Connection c, boolean rejected) {
        TokenSchedule t = c.tokenSchedule().orElseThrow();
        Instant now = clock.instant();
        if (!t.refreshable()) {
            return Optional.of(c);
        }
        boolean wanted = rejected ? !t.backingOff(now) : t.dueForUse(now);
        if (!wanted) {
            return rejected ? Optional.empty() : usable(c);
        }
        RefreshOutcome outcome;
        try {
            outcome = refresher.refreshNow(c, rejected ? RefreshReason.REJECTED : RefreshReason.USE);
        } catch (RuntimeException e) {
            // our storage failed, not the provider: a token that has not expired still serves
            Optional<Connection> stillValid = rejected ? Optional.empty() : usable(c);
            if (stillValid.isEmpty()) {
                throw e;
            }
            LOG.atWarn().addKeyValue(LogFields.CONNECTION_ID, c.id()).addKeyValue(LogFields.APP, c.app())
                    .log("refresh failed ({}); the current token is still valid and handed out", e.getMessage());
            return stillValid;
        }
        return switch (outcome) {
            case RefreshOutcome.Refreshed r -> Optional.of(r.connection());
            case RefreshOutcome.TooSoon s -> usable(s.connection()); // renewed moments ago: that token is the newest
            case RefreshOutcome.NotDue n -> n.connection().status() != ConnectionStatus.ACTIVE ? Optional.of(n.connection())
                    : rejected ? Optional.empty() : usable(n.connection());
            case RefreshOutcome.Failed f -> f.connection().status() == ConnectionStatus.ERROR
                    ? Optional.of(f.connection()) : rejected ? Optional.empty() : usable(f.connection());
            case RefreshOutcome.Gone g -> Optional.empty();
            case RefreshOutcome.Busy b -> rejected ? Optional.empty() : usable(store.find(c.id()).orElse(c));
        };
    }

    /** The connection as is, if its token has not expired (a token without a known lifetime has not). */
    private Optional<Connection> usable(Connection c) {
        return c.tokenSchedule().filter(t -> !t.expired(clock.instant())).map(t -> c);
    }

    private static Map<String, Object> shape(Connection c, Credential credential) {
        Map<String, Object> out = new LinkedHashMap<>();
        switch (c.credentialKind()) {
            case OAUTH2 -> {
                out.put("accessToken", credential.get("accessToken"));
                out.put("tokenType", credential.get("tokenType"));
                c.tokenSchedule().flatMap(TokenSchedule::expiresAt).ifPresent(at -> out.put("expiresAt", at.toString()));
            }
            case BASIC -> {
                out.put("username", credential.get("username"));
                out.put("password", credential.get("password"));
            }
            default -> out.put("apiKey", credential.get("apiKey"));
        }
        out.put("fields", c.fields());
        return out;
    }
}
