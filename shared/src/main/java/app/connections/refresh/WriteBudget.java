package app.connections.refresh;

/**
 * How many secret writes per second all concurrent refreshes may spend together. Secrets Manager
 * allows 50 write calls per second per account and region; the refresher keeps under a budget
 * (default 40/s) so the rest of the service can still write.
 */
public final class WriteBudget {
    private final double perSecond;
    private double available;
    private long lastNanos;
    private int peakInSecond;
    private long secondStart;
    private int inSecond;

    public WriteBudget(double perSecond) {
        if (perSecond <= 0) {
            throw new IllegalArgumentException("the write budget must be positive");
        }
        this.perSecond = perSecond;
        this.available = Math.min(perSecond, 1);
        this.lastNanos = System.nanoTime();
        this.secondStart = lastNanos;
    }

    /** Waits until one write may be spent (a token bucket holding at most one second's worth). */
    public void acquire() throws InterruptedException {
        while (true) {
            long waitNanos;
            synchronized (this) {
                long now = System.nanoTime();
                available = Math.min(perSecond, available + (now - lastNanos) * perSecond / 1e9);
                lastNanos = now;
                if (available >= 1) {
                    available -= 1;
                    count(now);
                    return;
                }
                waitNanos = (long) ((1 - available) / perSecond * 1e9);
            }
            Thread.sleep(Math.max(1, waitNanos / 1_000_000));
        }
    }

    private void count(long now) {
        if (now - secondStart >= 1_000_000_000L) {
            secondStart = now;
            inSecond = 0;
        }
        inSecond++;
        peakInSecond = Math.max(peakInSecond, inSecond);
    }

    /** The most writes spent within one second so far (for the benchmark). */
    public synchronized int peakPerSecond() {
        return peakInSecond;
    }
}
