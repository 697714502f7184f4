package app.connections.refresh;

import app.connections.connection.ConnectionStore;
import app.connections.connection.Page;
import app.connections.connection.lifecycle.Revocations;
import app.connections.platform.InvocationDeadline;
import app.connections.platform.logging.LogFields;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One scheduled run of the refresher: the connections whose sweep time has come (a token inside its
 * lead, or a refresh token due for its keep-alive use), read from every shard of the {@code due}
 * index in turn — one page of each shard, then the next page of each — starting at a shard that
 * moves from run to run, so a backlog never starves the high shards. Each is refreshed on a virtual
 * thread with bounded parallelism; no new work is started once the function's remaining time drops
 * under the safety margin, and the rest waits for the next run. With time and write budget to spare,
 * a second pass renews early the tokens expiring within {@link #LOOK_AHEAD} that are at least half
 * their lifetime old (look-ahead spreading, docs/scale.md).
 */
public final class RefreshRun {
    private static final Logger LOG = LoggerFactory.getLogger(RefreshRun.class);
    /** Connection ids read from one shard at a time (one Query). */
    public static final int PAGE = 100;
    /** How far ahead of its expiry spare capacity may renew a token ({@link RefreshReason#LOOK_AHEAD}). */
    public static final Duration LOOK_AHEAD = Duration.ofMinutes(45);
    private final ConnectionStore store;
    private final TokenRefresher refresher;
    private final Revocations revocations;
    private final Clock clock;
    private final int parallelism;
    private final int pageSize;

    public RefreshRun(ConnectionStore store, TokenRefresher refresher, Revocations revocations, Clock clock, int parallelism) {
        this(store, refresher, revocations, clock, parallelism, PAGE);
    }

    public RefreshRun(ConnectionStore store, TokenRefresher refresher, Revocations revocations, Clock clock, int parallelism,
                      int pageSize) {
        this.pageSize = pageSize;
        this.store = store;
        this.refresher = refresher;
        this.revocations = revocations;
        this.clock = clock;
        this.parallelism = parallelism;
    }

    /**
     * What a run did ({@code tooSoon}: refused by the per-connection rate guard; {@code lookedAhead}:
     * of the refreshed, those renewed early with spare capacity).
     */
    public record Summary(int considered, int refreshed, int failed, int busy, int notDue, int tooSoon, boolean stoppedEarly,
                          int lookedAhead) {
        public Summary(int considered, int refreshed, int failed, int busy, int notDue, int tooSoon, boolean stoppedEarly) {
            this(considered, refreshed, failed, busy, notDue, tooSoon, stoppedEarly, 0);
        }
    }

    /** Counts shared by a run's passes. */
    private static final class Tally {
        final AtomicInteger refreshed = new AtomicInteger();
        final AtomicInteger failed = new AtomicInteger();
        final AtomicInteger busy = new AtomicInteger();
        final AtomicInteger notDue = new AtomicInteger();
        final AtomicInteger tooSoon = new AtomicInteger();
        int considered;
    }

    public Summary run(Supplier<Duration> remaining, Duration safetyMargin) throws InterruptedException {
        if (remaining.get().compareTo(safetyMargin) >= 0) {
            try {
                revocations.retryDue(); // provider revocations that were unavailable earlier
            } catch (RuntimeException e) {
                // retried next run; a failing revocation retry must not keep tokens from being refreshed
                LOG.error("retrying pending provider revocations failed: {}", e.getMessage());
            }
        }
        Instant now = clock.instant();
        Tally due = new Tally();
        java.util.Set<String> attempted = java.util.concurrent.ConcurrentHashMap.newKeySet();
        boolean stopped = pass(now, RefreshReason.SCHEDULE, Integer.MAX_VALUE, () -> true, due, attempted, remaining, safetyMargin);
        int lookedAhead = 0;
        if (!stopped) {
            // Spare capacity: renew tokens expiring within the look-ahead window early, while less than
            // half the write budget is in use, at most a minute's budget per run — so a burst of tokens
            // issued together is spread out before it comes due, without crowding out due refreshes.
            Tally ahead = new Tally();
            WriteBudget budget = refresher.writeBudget();
            // (a connection this run already took up, refreshed or failed, is not tried again)
            stopped = pass(now.plus(LOOK_AHEAD), RefreshReason.LOOK_AHEAD, budget.perSecond() * 60, budget::idle, ahead,
                    attempted, remaining, safetyMargin);
            lookedAhead = ahead.refreshed.get();
            due.refreshed.addAndGet(lookedAhead);
            due.failed.addAndGet(ahead.failed.get());
            due.busy.addAndGet(ahead.busy.get());
            due.tooSoon.addAndGet(ahead.tooSoon.get());
            if (lookedAhead > 0) {
                LOG.info("look-ahead: {} tokens expiring within {} renewed early with spare capacity", lookedAhead, LOOK_AHEAD);
            }
        }
        return new Summary(due.considered, due.refreshed.get(), due.failed.get(), due.busy.get(), due.notDue.get(),
                due.tooSoon.get(), stopped, lookedAhead);
    }

    /**
     * Refreshes, for {@code reason}, the connections whose sweep time is at or before {@code until},
     * one page of each shard in turn, at most {@code limit} of them, while {@code gate} allows, none
     * already in {@code attempted} (to which each is added); returns whether it stopped for lack of time.
     */
    private boolean pass(Instant until, RefreshReason reason, int limit, java.util.function.BooleanSupplier gate, Tally tally,
                         java.util.Set<String> attempted, Supplier<Duration> remaining, Duration safetyMargin)
            throws InterruptedException {
        int shards = store.dueShards();
        int start = startShard(clock.instant(), shards);
        @SuppressWarnings("unchecked")
        Optional<String>[] cursors = new Optional[shards];
        boolean[] exhausted = new boolean[shards];
        int open = shards;
        int started = 0;
        boolean stopped = false;
        Semaphore slots = new Semaphore(parallelism);
        ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor();
        try {
            rounds:
            while (open > 0) {
                for (int i = 0; i < shards; i++) {
                    int shard = (start + i) % shards;
                    if (exhausted[shard]) {
                        continue;
                    }
                    if (remaining.get().compareTo(safetyMargin) < 0) {
                        stopped = true;
                        break rounds;
                    }
                    if (started >= limit || !gate.getAsBoolean()) {
                        break rounds;
                    }
                    Page<String> page = store.due(shard, until, pageSize, cursors[shard] == null ? Optional.empty() : cursors[shard]);
                    for (String id : page.items()) {
                        if (remaining.get().compareTo(safetyMargin) < 0) {
                            stopped = true;
                            break rounds;
                        }
                        if (started >= limit || !gate.getAsBoolean()) {
                            break rounds;
                        }
                        if (!attempted.add(id)) {
                            continue;
                        }
                        slots.acquire();
                        started++;
                        tally.considered++;
                        workers.submit(InvocationDeadline.carried(LogFields.carried(() -> {
                            try {
                                switch (refresher.refresh(id, reason)) {
                                    case RefreshOutcome.Refreshed r -> tally.refreshed.incrementAndGet();
                                    case RefreshOutcome.Failed f -> tally.failed.incrementAndGet();
                                    case RefreshOutcome.Busy b -> tally.busy.incrementAndGet();
                                    case RefreshOutcome.TooSoon t -> tally.tooSoon.incrementAndGet();
                                    case RefreshOutcome.NotDue n -> tally.notDue.incrementAndGet();
                                    case RefreshOutcome.Gone g -> tally.notDue.incrementAndGet();
                                }
                            } catch (RuntimeException e) {
                                tally.failed.incrementAndGet();
                                LOG.atError().addKeyValue(LogFields.CONNECTION_ID, id).addKeyValue(LogFields.REASON, reason)
                                        .addKeyValue(LogFields.OUTCOME, "error").log("refresh failed: {}", e.getMessage());
                            } finally {
                                slots.release();
                            }
                        })));
                    }
                    cursors[shard] = page.nextToken();
                    if (page.nextToken().isEmpty()) {
                        exhausted[shard] = true;
                        open--;
                    }
                }
            }
        } finally {
            workers.shutdown();
            workers.awaitTermination(Math.max(1, remaining.get().toMillis()), TimeUnit.MILLISECONDS);
        }
        return stopped;
    }

    /** The shard a run starts at: a different one each minute, so a run cut short favours no shard for long. */
    public static int startShard(Instant now, int shards) {
        return (int) Math.floorMod(now.getEpochSecond() / 60, (long) shards);
    }
}
