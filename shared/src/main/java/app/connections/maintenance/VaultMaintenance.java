package app.connections.maintenance;

import app.connections.connection.Connection;
import app.connections.connection.ConnectionStatus;
import app.connections.connection.ConnectionStore;
import app.connections.connection.Page;
import app.connections.connection.VersionedWrites;
import app.connections.refresh.LeaseStore;
import app.connections.refresh.WriteBudget;
import app.connections.vault.Credential;
import app.connections.vault.SecretOwner;
import app.connections.vault.SecretRef;
import app.connections.vault.Vault;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The vault's two maintenance tasks (README, "Vault modes"), one page of connections at a time,
 * resumable from the page token each run answers, and safe while refreshes and resolves run:
 * <ul>
 *   <li><b>move</b>: every live connection's credential copied into another store (Secrets Manager
 *   or the DynamoDB table) and the connection switched to it; the old one is scheduled for deletion
 *   (its recovery window lets a resolve that read the old reference a moment before still finish).</li>
 *   <li><b>reseal</b>: every live credential read and written again, so it is sealed under the KMS
 *   key the alias names now (an emergency key change: afterwards the old key can be disabled).</li>
 * </ul>
 * Each connection is worked on under its refresh lease, so no refresh writes new tokens to the old
 * place in between; one whose lease is held is left for the next run and counted as busy. A crash
 * half-way is resumed by running again: a finished connection is skipped, a repeated copy updates
 * the same place.
 */
public final class VaultMaintenance {
    private static final Logger LOG = LoggerFactory.getLogger(VaultMaintenance.class);
    static final int PAGE = 50;
    /** How long a task waits for a refresh holding a connection's lease, and how often it looks. */
    static final Duration LEASE_WAIT = Duration.ofSeconds(5);
    static final Duration LEASE_POLL = Duration.ofMillis(200);

    private final ConnectionStore store;
    private final Vault vault;
    private final LeaseStore leases;
    private final WriteBudget budget;
    private final Clock clock;
    private final int recoveryWindowDays;
    private final Duration leaseTtl;

    public VaultMaintenance(ConnectionStore store, Vault vault, LeaseStore leases, WriteBudget budget, Clock clock,
                            int recoveryWindowDays, Duration leaseTtl) {
        this.store = store;
        this.vault = vault;
        this.leases = leases;
        this.budget = budget;
        this.clock = clock;
        this.recoveryWindowDays = recoveryWindowDays;
        this.leaseTtl = leaseTtl;
    }

    /** How far a run got; {@code nextToken} resumes it, {@code done} when every connection was handled. */
    public record Progress(String task, int considered, int changed, int alreadyDone, int busy, int failed,
                           Optional<String> nextToken, boolean done) {
    }

    private interface Work {
        /** True when it changed something; false when there was nothing to do. */
        boolean on(Connection c, SecretOwner owner) throws InterruptedException;
    }

    /** Moves every live connection's credential into {@code target}. */
    public Progress moveTo(Vault.Store target, Optional<String> from, Supplier<Duration> remaining, Duration margin)
            throws InterruptedException {
        return run("move-to-" + target, from, remaining, margin, (c, owner) -> {
            SecretRef old = c.secretRef().orElseThrow();
            if (vault.keptIn(old, target)) {
                return false;
            }
            if (target == Vault.Store.SECRETS_MANAGER) {
                budget.acquire();
            }
            SecretRef moved = vault.copyInto(target, old, owner);
            boolean switched = VersionedWrites.retryOnStale(attempt -> {
                Connection now = store.find(c.id()).orElseThrow();
                if (!now.secretRef().equals(Optional.of(old)) || now.isRevoked()) {
                    return false; // reconnected or revoked meanwhile: its own write wins; a later run moves it again
                }
                store.update(now.movedTo(moved, clock.instant()));
                return true;
            });
            if (switched) {
                vault.scheduleDeletion(old, recoveryWindowDays);
            }
            return switched;
        });
    }

    /** Reads and writes again every live credential, sealing it under the key the configuration names now. */
    public Progress reseal(Optional<String> from, Supplier<Duration> remaining, Duration margin) throws InterruptedException {
        return run("reseal", from, remaining, margin, (c, owner) -> {
            SecretRef ref = c.secretRef().orElseThrow();
            Credential current = vault.read(ref, owner);
            if (vault.spendsSharedWriteQuota(ref)) {
                budget.acquire();
            }
            vault.putVersion(ref, owner, current);
            return true;
        });
    }

    /**
     * The connection's refresh lease, waiting for a refresh that holds it to finish (a refresh takes
     * seconds): up to {@link #LEASE_WAIT} in {@link #LEASE_POLL} steps, never into the margin.
     */
    private boolean acquireWaiting(String connectionId, String owner, Supplier<Duration> remaining, Duration margin)
            throws InterruptedException {
        for (int attempt = 0; attempt <= LEASE_WAIT.dividedBy(LEASE_POLL); attempt++) {
            if (leases.acquire(connectionId, owner, leaseTtl, clock.instant())) {
                return true;
            }
            if (remaining.get().minus(LEASE_POLL).compareTo(margin) < 0) {
                return false;
            }
            Thread.sleep(LEASE_POLL.toMillis());
        }
        return false;
    }

    private Progress run(String task, Optional<String> from, Supplier<Duration> remaining, Duration margin, Work work)
            throws InterruptedException {
        int considered = 0;
        int changed = 0;
        int alreadyDone = 0;
        int busy = 0;
        int failed = 0;
        Optional<String> token = from;
        do {
            if (remaining.get().compareTo(margin) < 0) {
                break;
            }
            Optional<String> pageStart = token;
            Page<Connection> page = store.everyConnection(PAGE, token);
            int busyHere = 0;
            for (Connection c : page.items()) {
                if (c.isRevoked() || c.status() == ConnectionStatus.PENDING || c.secretRef().isEmpty()) {
                    continue;
                }
                considered++;
                String owner = "maintenance-" + UUID.randomUUID();
                if (!acquireWaiting(c.id(), owner, remaining, margin)) {
                    busy++;
                    busyHere++;
                    continue;
                }
                try {
                    if (work.on(c, new SecretOwner(c.accountId(), c.workspaceId(), c.id(), c.app()))) {
                        changed++;
                    } else {
                        alreadyDone++;
                    }
                } catch (RuntimeException e) {
                    failed++;
                    LOG.error("{} of connection {} ({}) failed: {}", task, c.id(), c.app(), e.getMessage());
                } finally {
                    leases.release(c.id(), owner);
                }
            }
            if (busyHere > 0) {
                // a refresh still holds a lease here: the next invocation starts again at this page
                // (what is finished is skipped), so nothing is left behind in a page already passed
                token = pageStart;
                break;
            }
            token = page.nextToken();
        } while (token.isPresent());
        Progress progress = new Progress(task, considered, changed, alreadyDone, busy, failed, token,
                token.isEmpty() && busy == 0 && failed == 0);
        LOG.info("{} considered={} changed={} alreadyDone={} busy={} failed={} done={} nextToken={}", task, considered, changed,
                alreadyDone, busy, failed, progress.done(), token.isPresent());
        return progress;
    }
}
