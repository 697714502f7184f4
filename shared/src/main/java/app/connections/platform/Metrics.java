package app.connections.platform;

import java.time.Duration;

/**
 * Port: the service's metrics ({@link Metric}). The use cases report what happened; an adapter
 * (CloudWatch embedded metric format in Lambda) decides how it is written. Dimension values are
 * given in the order of {@link Metric#dimensions()}, never an id or a secret.
 */
public interface Metrics {
    /** Records {@code value} (in the metric's unit). */
    void record(Metric metric, double value, String... dimensionValues);

    /** Counts one. */
    default void count(Metric metric, String... dimensionValues) {
        record(metric, 1, dimensionValues);
    }

    /** Records a duration in the metric's unit. */
    default void timing(Metric metric, Duration duration, String... dimensionValues) {
        record(metric, metric.unit() == Metric.Unit.SECONDS ? duration.toMillis() / 1000.0 : duration.toNanos() / 1_000_000.0,
                dimensionValues);
    }

    /** Records nothing (tests, and use cases built without metrics). */
    Metrics NONE = (metric, value, dimensionValues) -> { };
}
