package app.connections.refresh;

import app.connections.catalog.App;
import app.connections.catalog.AppCatalog;
import app.connections.connection.Connection;
import app.connections.connection.ConnectionEvents;
import app.connections.connection.ConnectionStatus;
import app.connections.connection.ConnectionStore;
import app.connections.catalog.CredentialKind;
import app.connections.platform.Metric;
import app.connections.platform.Metrics;
import app.connections.platform.StaleVersion;
import app.connections.platform.logging.LogFields;
import app.connections.connection.TokenSchedule;
import app.connections.connection.VersionedWrites;
import app.connections.events.ConnectionEvent;
import app.connections.oauth.OAuthClient;
import app.connections.oauth.OAuthClients;
import app.connections.oauth.OAuthTokens;
import app.connections.oauth.TokenEndpoint;
import app.connections.oauth.TokenRequestFailed;
import app.connections.vault.Credential;
import app.connections.vault.SecretOwner;
import app.connections.vault.Vault;
import app.connections.vault.VaultException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Refreshes one OAuth connection's access token, under its lease, so two refreshers never spend
 * the same refresh token (a provider that rotates refresh tokens revokes the grant when an old one
 * is replayed).
 *
 * <p>Order of writes: the new tokens go to the vault first, then the record, then the lease is
 * released. If the process dies after the provider answered and before the vault write, the
 * rotated refresh token is lost: the old one is then refused ({@code invalid_grant}), the next
 * attempt marks the connection ERROR and the workspace is asked to reauthorize — loud, never
 * silent. If it dies after the vault write, the record still shows the old expiry and the next
 * run refreshes again with the stored (new) refresh token. A dead worker's lease expires after
 * {@link RefreshPolicy#leaseTtl()}.
 *
 * <p>Our own storage failing (docs/reliability.md): the token endpoint is called only while at
 * least half the lease is left, so a refresh slowed down by a throttled store never spends the
 * refresh token once another worker may have taken over. A vault write that fails after the
 * provider answered is retried within the lease ({@link RefreshPolicy#secretWriteAttempts()}), since
 * the provider may already have retired the old refresh token; if it still fails, the connection
 * backs off as after a transient failure ({@code secret_write_failed}) and the next attempt finds
 * out whether the stored token still works. A record write that meets someone else's change (a
 * rename) is merged; one whose answer was lost is recognised as ours.
 */
public final class TokenRefresher {
    private static final Logger LOG = LoggerFactory.getLogger(TokenRefresher.class);
    private static final Duration PEER_POLL = Duration.ofMillis(50);

    private final ConnectionStore store;
    private final LeaseStore leases;
    private final Vault vault;
    private final AppCatalog catalog;
    private final OAuthClients clients;
    private final TokenEndpoint tokens;
    private final AppAlarms alarms;
    private final WriteBudget budget;
    private final RefreshPolicy policy;
    private final Clock clock;
    private final Metrics metrics;

    public TokenRefresher(ConnectionStore store, LeaseStore leases, Vault vault, AppCatalog catalog, OAuthClients clients,
                          TokenEndpoint tokens, AppAlarms alarms, WriteBudget budget,
                          RefreshPolicy policy, Clock clock) {
        this(store, leases, vault, catalog, clients, tokens, alarms, budget, policy, clock, Metrics.NONE);
    }

    /** @param metrics refreshes by outcome, token-endpoint latency, invalid_client, reauthorizations required */
    public TokenRefresher(ConnectionStore store, LeaseStore leases, Vault vault, AppCatalog catalog, OAuthClients clients,
                          TokenEndpoint tokens, AppAlarms alarms, WriteBudget budget,
                          RefreshPolicy policy, Clock clock, Metrics metrics) {
        this.metrics = metrics;
        this.store = store;
        this.leases = leases;
        this.vault = vault;
        this.catalog = catalog;
        this.clients = clients;
        this.tokens = tokens;
        this.alarms = alarms;
        this.budget = budget;
        this.policy = policy;
        this.clock = clock;
    }

    public RefreshPolicy policy() {
        return policy;
    }

    /** The secret-write budget every refresh here spends from. */
    public WriteBudget writeBudget() {
        return budget;
    }

    /**
     * Refreshes one connection if {@code reason} finds it due, under its lease, with at most one
     * token request. Refused ({@link RefreshOutcome.TooSoon}) when its token was issued less than the
     * minimum interval ago, whatever the reason: no caller, and no future bug, can spend the secret-write
     * quota on one connection. Every refresh that reaches the rate guard writes one log line (connection,
     * app, reason, outcome, new expiry; never a token).
     */
    public RefreshOutcome refresh(String connectionId, RefreshReason reason) {
        String owner = UUID.randomUUID().toString();
        Instant leasedAt = clock.instant();
        if (!leases.acquire(connectionId, owner, policy.leaseTtl(), leasedAt)) {
            return new RefreshOutcome.Busy();
        }
        Instant leaseEnds = leasedAt.plus(policy.leaseTtl());
        try {
            // Re-read under the lease: another worker may have refreshed a moment ago.
            Optional<Connection> found = store.find(connectionId)
                    .filter(c -> c.credentialKind() == CredentialKind.OAUTH2 && c.tokenSchedule().isPresent());
            if (found.isEmpty()) {
                return new RefreshOutcome.Gone();
            }
            Connection c = found.get();
            TokenSchedule schedule = c.tokenSchedule().get();
            Instant now = clock.instant();
            if (c.status() != ConnectionStatus.ACTIVE || !schedule.refreshable() || !due(schedule, reason, now)) {
                return new RefreshOutcome.NotDue(c);
            }
            Instant notBefore = schedule.issuedAt().plus(policy.minInterval());
            if (now.isBefore(notBefore)) {
                LOG.atWarn().addKeyValue(LogFields.CONNECTION_ID, c.id()).addKeyValue(LogFields.APP, c.app())
                        .addKeyValue(LogFields.REASON, reason).addKeyValue(LogFields.OUTCOME, "refused_too_soon")
                        .addKeyValue("issuedAt", schedule.issuedAt()).addKeyValue("minInterval", policy.minInterval())
                        .log("refresh refused: too soon after the last one");
                metrics.count(Metric.REFRESHES, c.app(), "too_soon");
                return new RefreshOutcome.TooSoon(c, notBefore);
            }
            RefreshOutcome outcome = refreshUnderLease(c, schedule, now, leaseEnds);
            log(c, reason, outcome);
            return outcome;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new RefreshOutcome.Busy();
        } finally {
            leases.release(connectionId, owner);
        }
    }

    /**
     * For a caller that needs the result now (a resolve, a rotation): refreshes as
     * {@link #refresh(String, RefreshReason)} does; when another worker holds the lease, waits for
     * that worker's refresh (at most {@link RefreshPolicy#peerWait()}, polling a bounded number of
     * times) instead of making a second token request, and answers with what it stored.
     *
     * @param seen the connection as the caller read it (to tell whether the peer renewed its token)
     */
    public RefreshOutcome refreshNow(Connection seen, RefreshReason reason) {
        RefreshOutcome outcome = refresh(seen.id(), reason);
        if (!(outcome instanceof RefreshOutcome.Busy)) {
            return outcome;
        }
        Instant deadline = clock.instant().plus(policy.peerWait());
        long polls = Math.max(1, policy.peerWait().toMillis() / PEER_POLL.toMillis());
        for (long i = 0; i < polls && !clock.instant().isAfter(deadline); i++) {
            try {
                Thread.sleep(PEER_POLL.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            if (!leases.held(seen.id(), clock.instant())) {
                Optional<Connection> now = store.find(seen.id());
                if (now.isEmpty()) {
                    return new RefreshOutcome.Gone();
                }
                Connection after = now.get();
                boolean renewed = !after.tokenSchedule().map(TokenSchedule::issuedAt)
                        .equals(seen.tokenSchedule().map(TokenSchedule::issuedAt));
                return renewed ? new RefreshOutcome.Refreshed(after) : new RefreshOutcome.NotDue(after);
            }
        }
        LOG.atWarn().addKeyValue(LogFields.CONNECTION_ID, seen.id()).addKeyValue(LogFields.APP, seen.app())
                .addKeyValue(LogFields.REASON, reason).addKeyValue(LogFields.OUTCOME, "peer_still_refreshing")
                .addKeyValue("waited", policy.peerWait()).log("refresh: the peer holding the lease did not finish in time");
        return new RefreshOutcome.Busy();
    }

    private static boolean due(TokenSchedule schedule, RefreshReason reason, Instant now) {
        return switch (reason) {
            case SCHEDULE -> schedule.dueForSweep(now);
            case USE -> schedule.dueForUse(now);
            case REJECTED -> !schedule.backingOff(now);
            case ROTATION -> true;
            case LOOK_AHEAD -> schedule.dueForLookAhead(now, RefreshRun.LOOK_AHEAD);
        };
    }

    private RefreshOutcome refreshUnderLease(Connection c, TokenSchedule schedule, Instant now, Instant leaseEnds)
            throws InterruptedException {
        Optional<App> app = catalog.find(c.app());
        Optional<OAuthClient> client = app.flatMap(a -> clients.find(a.key()));
        if (app.isEmpty() || client.isEmpty() || c.secretRef().isEmpty()) {
            return new RefreshOutcome.Failed(c, "app_not_configured");
        }
        SecretOwner secretOwner = new SecretOwner(c.accountId(), c.workspaceId(), c.id(), c.app());
        Credential current = vault.read(c.secretRef().get(), secretOwner);
        String refreshToken = current.get("refreshToken");
        if (refreshToken == null) {
            return new RefreshOutcome.NotDue(c);
        }
        if (clock.instant().isAfter(leaseEnds.minus(policy.leaseTtl().dividedBy(2)))) {
            // The reads took most of the lease (a throttled store): another worker may take it over
            // any moment, and two workers spending one rotating refresh token lose the grant.
            LOG.warn("refresh of connection {} gave up its lease before the token call: reading took too long", c.id());
            return new RefreshOutcome.Busy();
        }
        OAuthTokens fresh;
        long asked = System.nanoTime();
        try {
            fresh = tokens.refresh(app.get(), client.get(), refreshToken, c.fields(), now);
        } catch (TokenRequestFailed e) {
            metrics.timing(Metric.TOKEN_ENDPOINT_LATENCY, Duration.ofNanos(System.nanoTime() - asked), c.app());
            return failed(c, schedule, e, now);
        }
        metrics.timing(Metric.TOKEN_ENDPOINT_LATENCY, Duration.ofNanos(System.nanoTime() - asked), c.app());
        if (!storeTokens(c, secretOwner, fresh.credential(), leaseEnds)) {
            return backoff(c, schedule, Optional.empty(), now, "secret_write_failed");
        }
        // no expires_in and no lifetime assumed by the catalog: non-expiring until the runtime reports a 401
        TokenSchedule renewed = policy.timing().refreshed(schedule, fresh.expiresAt(), now);
        Saved saved = save(c, x -> x.withTokenSchedule(renewed, now));
        return saved.applied() ? new RefreshOutcome.Refreshed(saved.connection()) : new RefreshOutcome.NotDue(saved.connection());
    }

    /** One log line per refresh (never a token) and its count by outcome class. */
    private void log(Connection c, RefreshReason reason, RefreshOutcome outcome) {
        switch (outcome) {
            case RefreshOutcome.Refreshed r -> {
                LOG.atInfo().addKeyValue(LogFields.CONNECTION_ID, c.id()).addKeyValue(LogFields.APP, c.app())
                        .addKeyValue(LogFields.REASON, reason).addKeyValue(LogFields.OUTCOME, "refreshed")
                        .addKeyValue("expiresAt", r.connection().tokenSchedule().flatMap(TokenSchedule::expiresAt)
                                .map(Instant::toString).orElse("none")).log("refresh");
                metrics.count(Metric.REFRESHES, c.app(), "refreshed");
            }
            case RefreshOutcome.Failed f -> {
                LOG.atWarn().addKeyValue(LogFields.CONNECTION_ID, c.id()).addKeyValue(LogFields.APP, c.app())
                        .addKeyValue(LogFields.REASON, reason).addKeyValue(LogFields.OUTCOME, "failed:" + f.reason())
                        .addKeyValue(LogFields.STATUS, f.connection().status()).addKeyValue("retryAt", f.connection().tokenSchedule()
                                .flatMap(TokenSchedule::retryAt).map(Instant::toString).orElse("none")).log("refresh failed");
                metrics.count(Metric.REFRESHES, c.app(), f.reason());
                metrics.count(Metric.REFRESH_FAILURES, c.app(), f.reason());
            }
            default -> LOG.atInfo().addKeyValue(LogFields.CONNECTION_ID, c.id()).addKeyValue(LogFields.APP, c.app())
                    .addKeyValue(LogFields.REASON, reason).addKeyValue(LogFields.OUTCOME, outcome.getClass().getSimpleName())
                    .log("refresh");
        }
    }

    /**
     * Writes the provider's new tokens to the vault, retrying within the lease: the provider may
     * already have retired the old refresh token, so these may be the only working ones. False when
     * every attempt failed (each one also retried by the SDK).
     */
    private boolean storeTokens(Connection c, SecretOwner secretOwner, Credential credential, Instant leaseEnds)
            throws InterruptedException {
        Duration wait = policy.secretWriteBackoff();
        boolean metered = vault.spendsSharedWriteQuota(c.secretRef().orElseThrow());
        for (int attempt = 1; ; attempt++) {
            if (metered) {
                budget.acquire(); // Secrets Manager's account-wide write quota; the DynamoDB vault mode has none
            }
            try {
                vault.putVersion(c.secretRef().orElseThrow(), secretOwner, credential);
                return true;
            } catch (VaultException e) {
                // keep a quarter of the lease for the record write; past the lease another worker may read the old token
                boolean timeLeft = clock.instant().plus(wait).isBefore(leaseEnds.minus(policy.leaseTtl().dividedBy(4)));
                if (attempt >= policy.secretWriteAttempts() || !timeLeft) {
                    LOG.error("new tokens of connection {} ({}) could not be stored after {} attempts; if {} rotated the "
                            + "refresh token, the next refresh is refused and the connection asks for reauthorization",
                            c.id(), e.getMessage(), attempt, c.app());
                    return false;
                }
                LOG.warn("storing new tokens of connection {} failed ({}), retrying in {}", c.id(), e.getMessage(), wait);
                Thread.sleep(wait.toMillis());
                wait = wait.multipliedBy(2);
            }
        }
    }

    /** The outcome of a record write under the lease. */
    private record Saved(Connection connection, boolean applied) {
    }

    /**
     * Writes a change made under the lease to the connection as read. The record is version-checked,
     * and the lease keeps other refreshes away, but not a rename, a revoke or a reconnect: a
     * conflicting change that left status, token schedule and secret as read is merged (our change is
     * applied to it); our own write whose answer was lost (the SDK's retry then fails the version
     * check) is recognised; any other change wins and is returned as stored, not applied.
     */
    private Saved save(Connection read, UnaryOperator<Connection> change) {
        return save(read, change, intended -> java.util.List.of());
    }

    /** As above, committing the events {@code implied} by the change with it (the outbox). */
    private Saved save(Connection read, UnaryOperator<Connection> change,
                       java.util.function.Function<Connection, java.util.List<ConnectionEvent>> implied) {
        Connection[] base = {read};
        return VersionedWrites.retryOnStale(attempt -> {
            Connection intended = change.apply(base[0]);
            try {
                return new Saved(store.update(intended, implied.apply(intended)), true);
            } catch (app.connections.platform.InvalidState revoked) {
                // the write's own condition: a REVOKED connection is never written again
                return new Saved(store.find(read.id()).orElseThrow(() -> revoked), false);
            } catch (StaleVersion e) {
                Connection stored = store.find(read.id()).orElseThrow(() -> e);
                if (stored.equals(intended.withVersion(intended.version() + 1))) {
                    return new Saved(stored, true);
                }
                boolean ownPartUntouched = stored.status() == read.status()
                        && stored.tokenSchedule().equals(read.tokenSchedule()) && stored.secretRef().equals(read.secretRef());
                if (!ownPartUntouched) {
                    return new Saved(stored, false);
                }
                base[0] = stored;
                throw e;
            }
        });
    }

    private RefreshOutcome failed(Connection c, TokenSchedule schedule, TokenRequestFailed e, Instant now) {
        return switch (e.kind()) {
            case INVALID_GRANT -> toError(c, "invalid_grant", now);
            case REJECTED -> toError(c, "refresh_rejected", now);
            case INVALID_CLIENT -> {
                // Our app's credentials: not the user's fault, so the connection stays as it is.
                alarms.oauthClientRejected(c.app(), now);
                metrics.count(Metric.INVALID_CLIENT, c.app());
                yield backoff(c, schedule, e.retryAfter(), now, "invalid_client");
            }
            case TRANSIENT -> {
                boolean expired = schedule.expired(now);
                if (expired && schedule.failedAttempts() + 1 >= policy.maxTransientAttempts()) {
                    yield toError(c, "refresh_failed", now);
                }
                yield backoff(c, schedule, e.retryAfter(), now, "transient");
            }
        };
    }

    private RefreshOutcome backoff(Connection c, TokenSchedule schedule, Optional<Duration> retryAfter, Instant now,
                                   String reason) {
        Duration wait = policy.backoff(schedule.failedAttempts() + 1);
        if (retryAfter.isPresent() && retryAfter.get().compareTo(wait) > 0) {
            wait = retryAfter.get();
        }
        Instant retry = now.plus(wait);
        return new RefreshOutcome.Failed(save(c, x -> x.withTokenSchedule(schedule.failed(retry), now)).connection(), reason);
    }

    /** ACTIVE→ERROR happens once (a version-checked write under the lease), so the alert goes out once. */
    private RefreshOutcome toError(Connection c, String reason, Instant now) {
        Saved saved = save(c, x -> x.markedError(reason, now),
                intended -> java.util.List.of(ConnectionEvents.of(ConnectionEvent.REAUTHORIZATION_REQUIRED, intended, reason, now)));
        if (saved.applied()) {
            metrics.count(Metric.REAUTHORIZATIONS_REQUIRED, c.app());
        }
        return new RefreshOutcome.Failed(saved.connection(), reason);
    }
}
