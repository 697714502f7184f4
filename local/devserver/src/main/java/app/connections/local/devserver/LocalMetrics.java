package app.connections.local.devserver;

import app.connections.platform.lambda.EmfMetrics;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * The metrics the functions emit, readable locally: each invocation that recorded any prints one
 * line ({@code metrics RefresherFunction: Refreshes{app=demo,outcome=refreshed}=2 …}) next to its
 * EMF lines, and {@code GET /local/metrics} shows the totals since the dev server started, per
 * function, metric and dimensions (counts summed; timings as count, mean and maximum).
 */
final class LocalMetrics implements AutoCloseable {
    private final Map<String, Total> totals = new TreeMap<>();
    private final AutoCloseable subscription;

    LocalMetrics(Consumer<String> out) {
        subscription = EmfMetrics.onInvocation(summary -> {
            out.accept("metrics " + summary.function() + ": " + summary.line());
            synchronized (totals) {
                summary.values().forEach((metric, values) -> totals.computeIfAbsent(summary.function() + " " + metric,
                        k -> new Total()).add(values));
            }
        });
    }

    /** The totals as a plain-text table. */
    String page() {
        StringBuilder out = new StringBuilder("# metrics since the dev server started (EMF, namespace Connections)\n");
        out.append("# function metric{dimensions}: total | values | mean | max\n");
        synchronized (totals) {
            if (totals.isEmpty()) {
                out.append("(none yet)\n");
            }
            totals.forEach((key, t) -> out.append(key).append(": ").append(t).append('\n'));
        }
        return out.toString();
    }

    @Override
    public void close() throws Exception {
        subscription.close();
    }

    private static final class Total {
        private double sum;
        private long n;
        private double max = Double.NEGATIVE_INFINITY;

        void add(List<Double> values) {
            for (double v : values) {
                sum += v;
                n++;
                max = Math.max(max, v);
            }
        }

        @Override
        public String toString() {
            return String.format(java.util.Locale.ROOT, "%s | %d | %.1f | %s", fmt(sum), n, sum / n, fmt(max));
        }

        private static String fmt(double d) {
            return d % 1 == 0 ? String.valueOf((long) d) : String.format(java.util.Locale.ROOT, "%.1f", d);
        }
    }
}
