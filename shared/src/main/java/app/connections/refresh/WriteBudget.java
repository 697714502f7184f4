package app.connections.refresh;

/**
 * How many secret writes per second all concurrent refreshes of this execution environment may
 * spend together. Secrets Manager allows 50 write calls per second per account and region, and a
 * throttled write throttles every other writer of the account, so the budget (default 40/s) holds in
 * <em>every</em> one-second window — a sliding window over the last {@code perSecond} writes, with no
 * burst allowance: a write waits until the one {@code perSecond} writes before it is a full second old.
 */
public final class WriteBudget {
    private static final long SECOND = 1_000_000_000L;

    /** Time for the budget: a monotonic clock and a way to wait on it (a test controls both). */
    public interface Ticker {
        long nanoTime();

        void sleepNanos(long nanos) throws InterruptedException;

        Ticker SYSTEM = new Ticker() {
            @Override
            public long nanoTime() {
                return System.nanoTime();
            }

            @Override
            public void sleepNanos(long nanos) throws InterruptedException {
                Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000));
            }
        };
    }

    private final int perSecond;
    private final Ticker ticker;
    /** When each of the last {@code perSecond} writes was spent, as a ring. */
    private final long[] spent;
    private int next;
    private int count;
    private int peakInWindow;

    public WriteBudget(double perSecond) {
        this(perSecond, Ticker.SYSTEM);
    }

    public WriteBudget(double perSecond, Ticker ticker) {
        if (perSecond < 1 || perSecond != Math.floor(perSecond)) {
            throw new IllegalArgumentException("the write budget must be a whole number of writes per second, at least 1");
        }
        this.perSecond = (int) perSecond;
        this.ticker = ticker;
        this.spent = new long[this.perSecond];
    }

    /** Waits until one write may be spent without any one-second window holding more than the budget. */
    public void acquire() throws InterruptedException {
        while (true) {
            long waitNanos;
            synchronized (this) {
                long now = ticker.nanoTime();
                if (count < perSecond) {
                    record(now);
                    return;
                }
                long oldest = spent[next]; // the write perSecond writes ago
                waitNanos = oldest + SECOND - now;
                if (waitNanos <= 0) {
                    record(now);
                    return;
                }
            }
            ticker.sleepNanos(waitNanos);
        }
    }

    private void record(long now) {
        spent[next] = now;
        next = (next + 1) % perSecond;
        count = Math.min(perSecond, count + 1);
        // writes in the window (now - 1 s, now]
        int inWindow = 0;
        for (int i = 0; i < count; i++) {
            if (now - spent[i] < SECOND) {
                inWindow++;
            }
        }
        peakInWindow = Math.max(peakInWindow, inWindow);
    }

    /** Writes spent in the last second. */
    public synchronized int spentInLastSecond() {
        long now = ticker.nanoTime();
        int inWindow = 0;
        for (int i = 0; i < count; i++) {
            if (now - spent[i] < SECOND) {
                inWindow++;
            }
        }
        return inWindow;
    }

    /** Whether less than half the budget was spent in the last second: room for work that can wait. */
    public boolean idle() {
        return spentInLastSecond() < perSecond / 2.0;
    }

    /** The most writes spent within any one-second window so far (for the benchmark). */
    public synchronized int peakPerSecond() {
        return peakInWindow;
    }

    public int perSecond() {
        return perSecond;
    }
}
