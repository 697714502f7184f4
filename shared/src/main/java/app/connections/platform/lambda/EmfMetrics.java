package app.connections.platform.lambda;

import app.connections.platform.Metric;
import app.connections.platform.Metrics;
import app.connections.platform.Observability;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Supplier;
import software.amazon.cloudwatchlogs.emf.environment.Environment;
import software.amazon.cloudwatchlogs.emf.environment.EnvironmentProvider;
import software.amazon.cloudwatchlogs.emf.model.MetricsContext;
import software.amazon.cloudwatchlogs.emf.sinks.ISink;
import software.amazon.lambda.powertools.metrics.internal.EmfMetricsLogger;
import software.amazon.lambda.powertools.metrics.model.DimensionSet;
import software.amazon.lambda.powertools.metrics.model.MetricUnit;

/**
 * The metrics port on Powertools for AWS Lambda's metrics: CloudWatch embedded metric format
 * (EMF) lines on standard output, which CloudWatch Logs turns into metrics without an API call.
 *
 * <p>What an invocation records is gathered while it runs ({@link #invocation}, also from the
 * threads it starts) and written when it ends: one EMF line per set of dimension values, counts
 * summed, timings as value lists. Each line carries two dimension sets: {@code [Service]} (what the
 * alarms read) and {@code [Service, <the metric's dimensions>]}. Recorded outside an invocation,
 * a value is written at once. SnapStart priming runs the same path and writes nothing.
 *
 * <p>Powertools' EMF logger is given an environment of ours (standard output, always): its own
 * environment detection would probe the EC2 metadata endpoint or a CloudWatch agent socket outside
 * Lambda (the dev server, tests).
 */
public final class EmfMetrics implements Metrics {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(EmfMetrics.class);
    private static final InheritableThreadLocal<Batch> CURRENT = new InheritableThreadLocal<>();
    private static final ThreadLocal<Boolean> DISCARD = ThreadLocal.withInitial(() -> false);
    private static final List<Consumer<Summary>> LISTENERS = new CopyOnWriteArrayList<>();
    private static final Environment STDOUT = new StdoutEnvironment();
    private static final EnvironmentProvider ENVIRONMENT = new EnvironmentProvider() {
        @Override
        public CompletableFuture<Environment> resolveEnvironment() {
            return CompletableFuture.completedFuture(STDOUT);
        }

        @Override
        public Environment getDefaultEnvironment() {
            return STDOUT;
        }
    };

    private final String namespace;
    private final String service;

    public EmfMetrics(Observability observability) {
        this.namespace = observability.metricsNamespace();
        this.service = observability.serviceName();
    }

    @Override
    public void record(Metric metric, double value, String... dimensionValues) {
        if (dimensionValues.length != metric.dimensions().size()) {
            throw new IllegalArgumentException(metric.metricName() + " takes dimensions " + metric.dimensions());
        }
        Map<String, String> dimensions = new LinkedHashMap<>();
        for (int i = 0; i < dimensionValues.length; i++) {
            dimensions.put(metric.dimensions().get(i), dimensionValue(dimensionValues[i]));
        }
        Batch batch = CURRENT.get();
        if (batch != null) {
            batch.add(new Key(namespace, service, dimensions), metric, value);
            return;
        }
        Batch now = new Batch();
        now.add(new Key(namespace, service, dimensions), metric, value);
        write(now, false, "-");
    }

    /**
     * A value CloudWatch takes as a dimension value: ASCII without whitespace (a route key's space
     * becomes {@code :}: {@code GET:/apps}), at most 250 characters.
     */
    static String dimensionValue(String v) {
        if (v == null || v.isBlank()) {
            return "none";
        }
        String cleaned = v.strip().replaceAll("\\s+", ":").replaceAll("[^\\x21-\\x7e]", "?");
        cleaned = cleaned.startsWith(":") ? "?" + cleaned.substring(1) : cleaned;
        return cleaned.length() > 250 ? cleaned.substring(0, 250) : cleaned;
    }

    /**
     * Runs one invocation; what it records is written when it ends ({@code priming}: serialized,
     * then dropped).
     */
    public static <T> T invocation(boolean priming, String function, Supplier<T> body) {
        Batch outer = CURRENT.get();
        Batch batch = new Batch();
        CURRENT.set(batch);
        try {
            return body.get();
        } finally {
            CURRENT.set(outer);
            write(batch, priming, function);
        }
    }

    /**
     * Calls {@code listener} with what each invocation recorded (the dev server's one-line summary
     * and {@code /local/metrics}) until the returned handle is closed.
     */
    public static AutoCloseable onInvocation(Consumer<Summary> listener) {
        LISTENERS.add(listener);
        return () -> LISTENERS.remove(listener);
    }

    /** What one invocation of {@code function} recorded: metric name and dimensions to the values. */
    public record Summary(String function, Map<String, List<Double>> values) {
        /** One line: {@code Refreshes{app=demo,outcome=refreshed}=2 TokenEndpointLatency{app=demo}=[12.0, 9.5]}. */
        public String line() {
            StringBuilder out = new StringBuilder();
            values.forEach((name, v) -> out.append(out.isEmpty() ? "" : " ").append(name).append('=')
                    .append(v.size() == 1 ? format(v.get(0)) : v.stream().map(EmfMetrics::format).toList()));
            return out.toString();
        }
    }

    private static String format(double d) {
        return d % 1 == 0 ? String.valueOf((long) d) : String.format(java.util.Locale.ROOT, "%.1f", d);
    }

    /** Writes what an invocation recorded; a failure to write metrics is logged, never the invocation's failure. */
    private static void write(Batch batch, boolean priming, String function) {
        if (batch.entries.isEmpty()) {
            return;
        }
        try {
            emit(batch, priming, function);
        } catch (RuntimeException e) {
            LOG.warn("metrics of this invocation were not written: {}", e.toString());
        }
    }

    private static void emit(Batch batch, boolean priming, String function) {
        Map<String, List<Double>> summary = new TreeMap<>();
        DISCARD.set(priming);
        try {
            batch.entries.forEach((key, metrics) -> {
                EmfMetricsLogger emf = new EmfMetricsLogger(ENVIRONMENT, new MetricsContext());
                emf.setNamespace(key.namespace());
                emf.setDefaultDimensions(DimensionSet.of("Service", key.service()));
                if (!key.dimensions().isEmpty()) {
                    Map<String, String> all = new LinkedHashMap<>();
                    all.put("Service", key.service());
                    all.putAll(key.dimensions());
                    emf.addDimension(DimensionSet.of(all));
                }
                metrics.forEach((metric, values) -> {
                    List<Double> written = metric.unit() == Metric.Unit.COUNT
                            ? List.of(values.stream().mapToDouble(Double::doubleValue).sum()) : List.copyOf(values);
                    written.forEach(v -> emf.addMetric(metric.metricName(), v, unit(metric)));
                    summary.put(metric.metricName() + (key.dimensions().isEmpty() ? ""
                            : key.dimensions().toString().replace(", ", ",")), written);
                });
                emf.flush();
            });
        } finally {
            DISCARD.set(false);
        }
        if (!priming) {
            Summary s = new Summary(function, summary);
            LISTENERS.forEach(l -> l.accept(s));
        }
    }

    private static MetricUnit unit(Metric metric) {
        return switch (metric.unit()) {
            case COUNT -> MetricUnit.COUNT;
            case MILLISECONDS -> MetricUnit.MILLISECONDS;
            case SECONDS -> MetricUnit.SECONDS;
        };
    }

    private record Key(String namespace, String service, Map<String, String> dimensions) {
    }

    /** What one invocation recorded so far (threads it started add to it too). */
    private static final class Batch {
        final Map<Key, Map<Metric, List<Double>>> entries = new ConcurrentHashMap<>();

        void add(Key key, Metric metric, double value) {
            entries.computeIfAbsent(key, k -> new ConcurrentHashMap<>())
                    .computeIfAbsent(metric, m -> java.util.Collections.synchronizedList(new ArrayList<>())).add(value);
        }
    }

    /** EMF's environment for every run: lines on standard output (as in Lambda), never an agent or a metadata probe. */
    private static final class StdoutEnvironment implements Environment {
        private final ISink sink = new ISink() {
            @Override
            public void accept(MetricsContext context) {
                try {
                    for (String line : context.serialize()) {
                        if (!DISCARD.get()) {
                            System.out.println(line); // looked up per line: follows System.setOut (tests read the lines)
                        }
                    }
                } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                    throw new IllegalStateException("metrics could not be written as EMF", e);
                }
            }

            @Override
            public CompletableFuture<Void> shutdown() {
                return CompletableFuture.completedFuture(null);
            }
        };

        @Override
        public boolean probe() {
            return true;
        }

        @Override
        public String getName() {
            return "connections";
        }

        @Override
        public String getType() {
            return "AWS::Lambda::Function";
        }

        @Override
        public String getLogGroupName() {
            return System.getenv().getOrDefault("AWS_LAMBDA_LOG_GROUP_NAME", "local");
        }

        @Override
        public void configureContext(MetricsContext context) {
            // nothing added: the invocation's ids are on its log lines, not on its metrics
        }

        @Override
        public ISink getSink() {
            return sink;
        }
    }
}
