package app.connections.refresh;

import app.connections.connection.ConnectionStore;
import app.connections.connection.Page;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * One scheduled run of the refresher: every shard of the {@code due} index up to now + lead, each
 * due connection refreshed on a virtual thread with bounded parallelism; no new work is started
 * once the function's remaining time drops under the safety margin — the rest waits for the next run.
 */
public final class RefreshRun {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(RefreshRun.class);
    private final ConnectionStore store;
    private final TokenRefresher refresher;
    private final app.connections.portal.Revocations revocations;
    private final Clock clock;
    private final int parallelism;

    public RefreshRun(ConnectionStore store, TokenRefresher refresher, app.connections.portal.Revocations revocations,
                      Clock clock, int parallelism) {
        this.store = store;
        this.refresher = refresher;
        this.revocations = revocations;
        this.clock = clock;
        this.parallelism = parallelism;
    }

    /** What a run did. */
    public record Summary(int considered, int refreshed, int failed, int busy, int notDue, boolean stoppedEarly) {
    }

    public Summary run(Supplier<Duration> remaining, Duration safetyMargin) throws InterruptedException {
        AtomicInteger refreshed = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        AtomicInteger busy = new AtomicInteger();
        AtomicInteger notDue = new AtomicInteger();
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
        Semaphore slots = new Semaphore(parallelism);
        ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor();
        try {
            shards:
            for (int shard = 0; shard < store.dueShards(); shard++) {
                Optional<String> token = Optional.empty();
                do {
                    Page<String> page = store.due(shard, clock.instant().plus(refresher.policy().lead()), 100, token);
                    for (String id : page.items()) {
                        if (remaining.get().compareTo(safetyMargin) < 0) {
                            stopped = true;
                            break shards;
                        }
                        slots.acquire();
                        considered++;
                        workers.submit(() -> {
                            try {
                                switch (refresher.refresh(id, false)) {
                                    case RefreshOutcome.Refreshed r -> refreshed.incrementAndGet();
                                    case RefreshOutcome.Failed f -> failed.incrementAndGet();
                                    case RefreshOutcome.Busy b -> busy.incrementAndGet();
                                    case RefreshOutcome.NotDue n -> notDue.incrementAndGet();
                                    case RefreshOutcome.Gone g -> notDue.incrementAndGet();
                                }
                            } catch (RuntimeException e) {
                                failed.incrementAndGet();
                            } finally {
                                slots.release();
                            }
                        });
                    }
                    token = page.nextToken();
                } while (token.isPresent());
            }
        } finally {
            workers.shutdown();
            workers.awaitTermination(Math.max(1, remaining.get().toMillis()), TimeUnit.MILLISECONDS);
        }
        return new Summary(considered, refreshed.get(), failed.get(), busy.get(), notDue.get(), stopped);
    }
}
