package app.connections.connection.lifecycle;

import app.connections.catalog.CredentialKind;
import app.connections.connection.Connection;
import app.connections.connection.ConnectionEvents;
import app.connections.connection.ConnectionStatus;
import app.connections.connection.ConnectionStore;
import app.connections.connection.IdentityKey;
import app.connections.connection.RevocationWork;
import app.connections.connection.RevocationWork.Step;
import app.connections.connection.VersionedWrites;
import app.connections.events.ConnectionEvent;
import app.connections.platform.StaleVersion;
import app.connections.vault.Credential;
import app.connections.vault.SecretOwner;
import app.connections.vault.Vault;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one way to revoke a connection, from the builder or the client portal. REVOKED, its
 * {@code Connection Revoked} event and the work left to do are one write: from then on the resolver
 * denies it and the event is delivered whatever happens next. The work — the refresh token revoked
 * at the provider, then the access token (RFC 7009, each with its {@code token_type_hint}), then the
 * secret scheduled for deletion — is recorded step by step, so a crash or a timeout resumes where
 * it stopped: at the next DELETE of the connection, or at the scheduled refresher's retry run.
 * A provider that is unavailable (or refuses our client) is retried with a backoff that doubles
 * (1, 2, 4… minutes); after {@value #MAX_ATTEMPTS} failed attempts {@code Connection Revocation
 * Failed} is committed, an error is logged with the connection id, and the secret is scheduled for
 * deletion. Provider calls stop when this invocation's provider budget is spent (the work stays due).
 */
public final class Revocations {
    static final int MAX_ATTEMPTS = 8;
    /** Pending revocations one retry run takes up at most. */
    static final int RETRY_BATCH = 200;
    private static final Logger LOG = LoggerFactory.getLogger(Revocations.class);

    private final ConnectionStore store;
    private final Vault vault;
    private final ProviderRevocation provider;
    private final PendingRevocations pending;
    private final Clock clock;
    private final int recoveryWindowDays;
    private final Duration providerCall;
    private final Duration budget;

    /**
     * @param providerCall the longest one provider call may take (the provider timeout)
     * @param budget the provider time one invocation may spend (below the function's timeout)
     */
    public Revocations(ConnectionStore store, Vault vault, ProviderRevocation provider, PendingRevocations pending,
                       Clock clock, int recoveryWindowDays, Duration providerCall, Duration budget) {
        this.store = store;
        this.vault = vault;
        this.provider = provider;
        this.pending = pending;
        this.clock = clock;
        this.recoveryWindowDays = recoveryWindowDays;
        this.providerCall = providerCall;
        this.budget = budget;
    }

    /**
     * Revokes. Revoking a REVOKED connection publishes nothing again; it resumes the work left
     * from the first revoke, if any (a crash or timeout stopped it), unless that work is backing
     * off from a failed provider attempt (repeated DELETEs do not use up its attempts).
     */
    public Connection revoke(Connection connection, String reason) {
        Instant deadline = clock.instant().plus(budget);
        Connection[] stored = new Connection[1];
        Optional<RevocationWork> work = VersionedWrites.retryOnStale(attempt -> {
            Connection current = attempt == 0 ? connection : store.find(connection.id()).orElse(connection);
            if (current.status() == ConnectionStatus.REVOKED) {
                stored[0] = current;
                // revoked before: resume what is left (unless it is backing off from a failed attempt), publish nothing
                return pending.find(current.id()).filter(w -> !w.nextAttemptAt().isAfter(clock.instant()));
            }
            Instant now = clock.instant();
            Connection revoked = current.revoked(reason, now);
            Optional<RevocationWork> left = current.secretRef().map(ref -> RevocationWork.start(current.id(), now));
            try {
                stored[0] = store.revoke(revoked, current.externalIdentity().map(x -> IdentityKey.of(current)),
                        List.of(ConnectionEvents.of(ConnectionEvent.REVOKED, revoked, reason, now)), left);
            } catch (app.connections.platform.InvalidState revokedMeanwhile) {
                throw new StaleVersion("revoked meanwhile", revokedMeanwhile); // read it again: then it resumes
            }
            return left;
        });
        work.ifPresent(w -> {
            try {
                proceed(stored[0], w, deadline);
            } catch (RuntimeException e) {
                // REVOKED and its event are committed; the work is recorded and the retry run (or the next DELETE) goes on
                LOG.atError().addKeyValue("connectionId", w.connectionId())
                        .log("revocation work of connection {} stopped: {}", w.connectionId(), e.toString());
                try {
                    failedAttempt(Optional.of(stored[0]), pending.find(w.connectionId()).orElse(w), e.getClass().getSimpleName());
                } catch (RuntimeException again) {
                    LOG.atError().addKeyValue("connectionId", w.connectionId())
                            .log("revocation work of connection {} could not be rescheduled: {}", w.connectionId(), again.toString());
                }
            }
        });
        return stored[0];
    }

    /**
     * Takes up the pending revocations that are due (the scheduled refresher calls this), each on
     * its own: one that throws is logged with its connection id and backs off; the others go on.
     * Returns how many were taken up.
     */
    public int retryDue() {
        Instant deadline = clock.instant().plus(budget);
        int taken = 0;
        for (RevocationWork w : pending.due(clock.instant(), RETRY_BATCH)) {
            if (!clock.instant().isBefore(deadline)) {
                break;
            }
            taken++;
            try {
                Optional<Connection> c = store.find(w.connectionId());
                if (c.isEmpty() || c.get().secretRef().isEmpty()) {
                    pending.remove(w.connectionId());
                    continue;
                }
                proceed(c.get(), w, deadline);
            } catch (RuntimeException e) {
                LOG.atError().addKeyValue("connectionId", w.connectionId()).addKeyValue("attempts", w.attempts() + 1)
                        .log("pending revocation failed: {}", e.toString());
                try {
                    failedAttempt(store.find(w.connectionId()), pending.find(w.connectionId()).orElse(w), e.getClass().getSimpleName());
                } catch (RuntimeException again) {
                    LOG.atError().addKeyValue("connectionId", w.connectionId())
                            .log("pending revocation could not be rescheduled: {}", again.toString());
                }
            }
        }
        return taken;
    }

    /** Best effort: revokes a refresh token a rotation has just replaced. */
    public void revokeSuperseded(Connection c, String refreshToken) {
        ProviderRevocation.Result result = provider.revokeRefreshToken(c, refreshToken);
        if (result != ProviderRevocation.Result.DONE && result != ProviderRevocation.Result.UNSUPPORTED) {
            LOG.warn("superseded refresh token of connection {} was not revoked at {}: {}", c.id(), c.app(), result);
        }
    }

    /** Does the steps not done yet, recording each; stops at a provider that asks to retry, or when the budget is spent. */
    private void proceed(Connection c, RevocationWork work, Instant deadline) {
        RevocationWork w = work;
        boolean oauth = c.credentialKind() == CredentialKind.OAUTH2 && c.secretRef().isPresent();
        if (!oauth && !w.isDone(Step.ACCESS_TOKEN_REVOKED)) {
            w = w.with(Step.REFRESH_TOKEN_REVOKED).with(Step.ACCESS_TOKEN_REVOKED);
        }
        if (!w.isDone(Step.REFRESH_TOKEN_REVOKED) || !w.isDone(Step.ACCESS_TOKEN_REVOKED)) {
            Credential tokens = vault.read(c.secretRef().orElseThrow(), new SecretOwner(c.accountId(), c.workspaceId(), c.id(), c.app()));
            for (Step step : List.of(Step.REFRESH_TOKEN_REVOKED, Step.ACCESS_TOKEN_REVOKED)) {
                if (w.isDone(step)) {
                    continue;
                }
                String token = tokens.get(step == Step.REFRESH_TOKEN_REVOKED ? "refreshToken" : "accessToken");
                if (token != null) {
                    if (clock.instant().plus(providerCall).isAfter(deadline)) {
                        pending.save(w); // out of provider time here: the retry run goes on from this step
                        return;
                    }
                    ProviderRevocation.Result result = step == Step.REFRESH_TOKEN_REVOKED
                            ? provider.revokeRefreshToken(c, token) : provider.revokeAccessToken(c, token);
                    if (result == ProviderRevocation.Result.RETRY) {
                        failedAttempt(Optional.of(c), w, "provider_unavailable");
                        return;
                    }
                    if (result == ProviderRevocation.Result.REFUSED) {
                        LOG.atError().addKeyValue("connectionId", c.id())
                                .log("provider {} refused to revoke the {} of connection {}", c.app(), hint(step), c.id());
                    }
                }
                w = w.with(step);
                pending.save(w);
            }
        }
        scheduleDeletion(c, w);
    }

    private static String hint(Step step) {
        return step == Step.REFRESH_TOKEN_REVOKED ? "refresh token" : "access token";
    }

    private void scheduleDeletion(Connection c, RevocationWork w) {
        c.secretRef().ifPresent(ref -> vault.scheduleDeletion(ref, recoveryWindowDays));
        pending.remove(w.connectionId()); // done: the deletion is scheduled (scheduling again changes nothing)
    }

    /** One more failed attempt: back off (1, 2, 4… minutes), or give up after the last one. */
    private void failedAttempt(Optional<Connection> c, RevocationWork w, String reason) {
        Instant now = clock.instant();
        if (w.attempts() + 1 < MAX_ATTEMPTS) {
            pending.save(w.failed(now.plus(Duration.ofMinutes(1L << Math.min(w.attempts(), 10)))));
            return;
        }
        RevocationWork givenUp = w.failed(now).with(Step.REFRESH_TOKEN_REVOKED).with(Step.ACCESS_TOKEN_REVOKED);
        LOG.atError().addKeyValue("connectionId", w.connectionId()).addKeyValue("attempts", w.attempts() + 1)
                .log("provider revocation of connection {} given up after {} attempts: {}", w.connectionId(), w.attempts() + 1, reason);
        if (c.isPresent()) {
            java.util.Map<String, Object> detail = ConnectionEvents.detail(c.get(), "revocation_failed", now);
            detail.put("attempts", w.attempts() + 1);
            pending.giveUp(givenUp, new ConnectionEvent(c.get().id() + ":revocation-failed", ConnectionEvent.REVOCATION_FAILED, detail));
            scheduleDeletion(c.get(), givenUp);
        } else {
            pending.remove(w.connectionId());
        }
    }
}
