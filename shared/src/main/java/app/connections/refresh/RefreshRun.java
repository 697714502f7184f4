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
 * under the safety margin, and the rest waits for the next run.
 */
public final class RefreshRun {
    private static final Logger LOG = LoggerFactory.getLogger(RefreshRun.class);
    /** Connection ids read from one shard at a time (one Query). */
    public static final int PAGE = 100;
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

    /** What a run did ({@code tooSoon}: refused by the per-connection rate guard). */
    public record Summary(int considered, int refreshed, int failed, int busy, int notDue, int tooSoon, boolean stoppedEarly) {
    }

    public Summary run(Supplier<Duration> remaining, Duration safetyMargin) throws InterruptedException {
        AtomicInteger refreshed = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        AtomicInteger busy = new AtomicInteger();
        AtomicInteger notDue = new AtomicInteger();
        AtomicInteger tooSoon = new AtomicInteger();
        int considered = 0;
        boolean stopped = false;
        if (remaining.get().compareTo(safetyMargin) >= 0) {
            try {
                revocations.retryDue(); // provider revocations that were unavailable earlier
            } catch (RuntimeException e) {
                // retried next run; a failing revocation retry must not keep tokens from being refreshed
                LOG.error("retrying pending provider revocations failed: {}", e.getMessage());
            }
        }
        Instant until = clock.instant();
        int shards = store.dueShards();
        int start = startShard(until, shards);
        @SuppressWarnings("unchecked")
        Optional<String>[] cursors = new Optional[shards];
        boolean[] exhausted = new boolean[shards];
        int open = shards;
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
                    Page<String> page = store.due(shard, until, pageSize, cursors[shard] == null ? Optional.empty() : cursors[shard]);
                    for (String id : page.items()) {
                        if (remaining.get().compareTo(safetyMargin) < 0) {
                            stopped = true;
                            break rounds;
                        }
                        slots.acquire();
                        considered++;
                        workers.submit(InvocationDeadline.carried(LogFields.carried(() -> {
                            try {
                                switch (refresher.refresh(id, RefreshReason.SCHEDULE)) {
                                    case RefreshOutcome.Refreshed r -> refreshed.incrementAndGet();
                                    case RefreshOutcome.Failed f -> failed.incrementAndGet();
                                    case RefreshOutcome.Busy b -> busy.incrementAndGet();
                                    case RefreshOutcome.TooSoon s -> tooSoon.incrementAndGet();
                                    case RefreshOutcome.NotDue n -> notDue.incrementAndGet();
                                    case RefreshOutcome.Gone g -> notDue.incrementAndGet();
                                }
                            } catch (RuntimeException e) {
                                failed.incrementAndGet();
                                LOG.atError().addKeyValue(LogFields.CONNECTION_ID, id).addKeyValue(LogFields.REASON, RefreshReason.SCHEDULE)
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
        return new Summary(considered, refreshed.get(), failed.get(), busy.get(), notDue.get(), tooSoon.get(), stopped);
    }

    /** The shard a run starts at: a different one each minute, so a run cut short favours no shard for long. */
    public static int startShard(Instant now, int shards) {
        return (int) Math.floorMod(now.getEpochSecond() / 60, (long) shards);
    }
}
