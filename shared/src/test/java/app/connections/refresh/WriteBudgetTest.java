package app.connections.refresh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;

/** The secret-write budget holds in every one-second window, bursts included (a controlled clock). */
class WriteBudgetTest {
    private static final long MS = 1_000_000L;

    /** A clock that only moves when someone waits on it (or the test moves it). */
    static class ControlledTicker implements WriteBudget.Ticker {
        long now = 5_000 * MS;

        @Override
        public long nanoTime() {
            return now;
        }

        @Override
        public void sleepNanos(long nanos) {
            now += nanos;
        }
    }

    private static int mostInAnyWindow(List<Long> times) {
        int most = 0;
        for (long start : times) {
            int n = 0;
            for (long t : times) {
                if (t >= start && t < start + 1_000 * MS) {
                    n++;
                }
            }
            most = Math.max(most, n);
        }
        return most;
    }

    @Test
    void aBurstAfterAnIdleSpellNeverPutsMoreThanTheBudgetIntoOneSecond() throws Exception {
        ControlledTicker ticker = new ControlledTicker();
        WriteBudget budget = new WriteBudget(40, ticker);
        List<Long> spent = new ArrayList<>();

        for (int i = 0; i < 400; i++) {
            budget.acquire();
            spent.add(ticker.now);
            if (i % 7 == 0) {
                ticker.now += 3 * MS; // some work between writes, now and then
            }
        }

        assertThat(mostInAnyWindow(spent)).isEqualTo(40);
        assertThat(budget.peakPerSecond()).isEqualTo(40);
        assertThat(spent.get(399) - spent.get(0)).as("400 writes take at least 9 s at 40/s")
                .isGreaterThanOrEqualTo(9_000 * MS);
    }

    @Test
    void writesOnBothSidesOfAWallClockSecondStillCountAsOneWindow() throws Exception {
        ControlledTicker ticker = new ControlledTicker();
        WriteBudget budget = new WriteBudget(40, ticker);
        List<Long> spent = new ArrayList<>();
        ticker.now += 900 * MS;
        for (int i = 0; i < 40; i++) { // 40 writes at the end of one wall-clock second
            budget.acquire();
            spent.add(ticker.now);
        }
        ticker.now += 200 * MS; // the next wall-clock second: a bucket refilled per second would allow 40 more here
        for (int i = 0; i < 40; i++) {
            budget.acquire();
            spent.add(ticker.now);
        }

        assertThat(mostInAnyWindow(spent)).isEqualTo(40);
        assertThat(spent.get(40) - spent.get(0)).isGreaterThanOrEqualTo(1_000 * MS);
    }

    @Test
    void writesWithinTheBudgetDoNotWait() throws Exception {
        ControlledTicker ticker = new ControlledTicker();
        WriteBudget budget = new WriteBudget(10, ticker);
        long start = ticker.now;

        for (int i = 0; i < 10; i++) {
            budget.acquire();
        }

        assertThat(ticker.now).isEqualTo(start);
    }

    @Test
    void concurrentWritersShareOneBudget() throws Exception {
        WriteBudget budget = new WriteBudget(50);
        List<Long> spent = Collections.synchronizedList(new ArrayList<>());
        try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < 120; i++) {
                pool.submit(() -> {
                    budget.acquire();
                    spent.add(System.nanoTime());
                    return null;
                });
            }
        }

        assertThat(spent).hasSize(120);
        assertThat(budget.peakPerSecond()).isLessThanOrEqualTo(50);
    }

    @Test
    void aBudgetIsAWholePositiveNumberOfWrites() {
        assertThatThrownBy(() -> new WriteBudget(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new WriteBudget(2.5)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aSecondWithoutWritesGivesTheWholeBudgetBackAtOnce() throws Exception {
        ControlledTicker ticker = new ControlledTicker();
        WriteBudget budget = new WriteBudget(10, ticker);
        for (int i = 0; i < 10; i++) {
            budget.acquire();
        }
        ticker.now += 1_000 * MS;
        long rested = ticker.now;

        for (int i = 0; i < 10; i++) {
            budget.acquire();
        }

        assertThat(ticker.now).as("no wait: the last second held no write").isEqualTo(rested);
        budget.acquire();
        assertThat(ticker.now - rested).as("the eleventh waits a full second after the first of the ten")
                .isEqualTo(1_000 * MS);
    }

    @Test
    void aWriterInterruptedWhileWaitingSpendsNothingOfTheBudget() throws Exception {
        ControlledTicker ticker = new ControlledTicker() {
            boolean interrupt = true;

            @Override
            public void sleepNanos(long nanos) {
                if (interrupt) {
                    interrupt = false;
                    throw new IllegalStateException(new InterruptedException("stopping"));
                }
                super.sleepNanos(nanos);
            }
        };
        WriteBudget budget = new WriteBudget(2, ticker);
        budget.acquire();
        budget.acquire();

        assertThatThrownBy(budget::acquire).hasCauseInstanceOf(InterruptedException.class);

        ticker.now += 1_000 * MS;
        long later = ticker.now;
        budget.acquire();
        budget.acquire();
        assertThat(ticker.now).as("two writes again, no wait: the interrupted one took no slot").isEqualTo(later);
        assertThat(budget.peakPerSecond()).isEqualTo(2);
    }

    @Test
    void aWaitingWriterStopsWhenItsThreadIsInterrupted() throws Exception {
        WriteBudget budget = new WriteBudget(1);
        budget.acquire();
        Thread.currentThread().interrupt();
        try {
            assertThatThrownBy(budget::acquire).as("the second write would wait a second; the interrupt ends the wait")
                    .isInstanceOf(InterruptedException.class);
        } finally {
            Thread.interrupted();
        }
    }
}
