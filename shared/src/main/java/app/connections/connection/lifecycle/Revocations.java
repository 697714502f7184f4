package app.connections.connection.lifecycle;

import app.connections.connection.Connection;
import app.connections.connection.ConnectionEvents;
import app.connections.connection.ConnectionStatus;
import app.connections.connection.ConnectionStore;
import app.connections.catalog.CredentialKind;
import app.connections.connection.IdentityKey;
import app.connections.events.ConnectionEvent;
import app.connections.events.EventPublisher;
import app.connections.vault.Credential;
import app.connections.vault.SecretOwner;
import app.connections.vault.Vault;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one way to revoke a connection, from the builder or the client portal: REVOKED at once (the
 * resolver denies it from then on), {@code Connection Revoked} published once, OAuth tokens revoked
 * at the provider (RFC 7009, the refresh token first), and the secret scheduled for deletion once
 * the provider is done. A provider that is unavailable is retried with backoff (by the scheduled
 * refresher) until it answers or the attempts run out (logged); the tokens stay in the vault until then.
 */
public final class Revocations {
    static final int MAX_ATTEMPTS = 8;
    private static final Logger LOG = LoggerFactory.getLogger(Revocations.class);

    private final ConnectionStore store;
    private final Vault vault;
    private final ProviderRevocation provider;
    private final PendingRevocations pending;
    private final EventPublisher events;
    private final Clock clock;
    private final int recoveryWindowDays;

    public Revocations(ConnectionStore store, Vault vault, ProviderRevocation provider, PendingRevocations pending,
                       EventPublisher events, Clock clock, int recoveryWindowDays) {
        this.store = store;
        this.vault = vault;
        this.provider = provider;
        this.pending = pending;
        this.events = events;
        this.clock = clock;
        this.recoveryWindowDays = recoveryWindowDays;
    }

    /** Revokes; revoking again changes nothing (and publishes nothing). */
    public Connection revoke(Connection connection, String reason) {
        if (connection.status() == ConnectionStatus.REVOKED) {
            return connection;
        }
        Instant now = clock.instant();
        Connection revoked = connection.revoked(reason, now);
        Connection stored = connection.externalIdentity().isPresent()
                ? store.updateReleasing(revoked, IdentityKey.of(connection))
                : store.update(revoked);
        events.publish(ConnectionEvents.of(ConnectionEvent.REVOKED, stored, reason, now));
        if (stored.credentialKind() == CredentialKind.OAUTH2 && stored.secretRef().isPresent()) {
            attempt(stored, 0);
        } else {
            stored.secretRef().ifPresent(ref -> vault.scheduleDeletion(ref, recoveryWindowDays));
        }
        return stored;
    }

    /** Retries the provider revocations that are due (the scheduled refresher calls this). */
    public int retryDue() {
        int done = 0;
        for (PendingRevocations.Pending p : pending.due(clock.instant(), 50)) {
            Optional<Connection> c = store.find(p.connectionId());
            if (c.isEmpty() || c.get().secretRef().isEmpty()) {
                pending.remove(p.connectionId());
                continue;
            }
            attempt(c.get(), p.attempts());
            done++;
        }
        return done;
    }

    /** Best effort: revokes a refresh token a rotation has just replaced. */
    public void revokeSuperseded(Connection c, String refreshToken) {
        ProviderRevocation.Result result = provider.revokeRefreshToken(c, refreshToken);
        if (result != ProviderRevocation.Result.DONE && result != ProviderRevocation.Result.UNSUPPORTED) {
            LOG.warn("superseded refresh token of connection {} was not revoked at {}: {}", c.id(), c.app(), result);
        }
    }

    private void attempt(Connection c, int attempts) {
        ProviderRevocation.Result result = atProvider(c);
        if (result == ProviderRevocation.Result.RETRY && attempts + 1 < MAX_ATTEMPTS) {
            Duration wait = Duration.ofMinutes(1L << Math.min(attempts, 10));
            pending.put(new PendingRevocations.Pending(c.id(), attempts + 1, clock.instant().plus(wait)));
            return;
        }
        if (result == ProviderRevocation.Result.RETRY || result == ProviderRevocation.Result.REFUSED) {
            LOG.error("provider revocation of connection {} at {} given up after {} attempts: {}", c.id(), c.app(),
                    attempts + 1, result);
        }
        pending.remove(c.id());
        vault.scheduleDeletion(c.secretRef().orElseThrow(), recoveryWindowDays);
    }

    private ProviderRevocation.Result atProvider(Connection c) {
        Credential tokens = vault.read(c.secretRef().orElseThrow(), new SecretOwner(c.accountId(), c.workspaceId(), c.id(), c.app()));
        return provider.revokeTokens(c, tokens);
    }
}
