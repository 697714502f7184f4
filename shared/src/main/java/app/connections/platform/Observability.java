package app.connections.platform;

import java.util.Locale;
import java.util.Map;

/**
 * How the service reports on itself, read from the environment like the rest of {@link Config}:
 * the log level ({@code LOG_LEVEL}, default INFO), the service name on every log line and metric
 * ({@code SERVICE_NAME}, default {@code connections}), the share of invocations logged at DEBUG
 * whatever the level ({@code LOG_DEBUG_SAMPLE_RATE}, 0 to 1, default 0) and the CloudWatch
 * namespace of the service's metrics ({@code METRICS_NAMESPACE}, default {@code Connections}).
 */
public record Observability(String logLevel, String serviceName, double debugSampleRate, String metricsNamespace) {
    private static final java.util.Set<String> LEVELS = java.util.Set.of("TRACE", "DEBUG", "INFO", "WARN", "ERROR");

    public Observability {
        if (!LEVELS.contains(logLevel)) {
            throw new IllegalStateException("LOG_LEVEL must be one of " + LEVELS);
        }
        if (serviceName.isBlank() || metricsNamespace.isBlank()) {
            throw new IllegalStateException("SERVICE_NAME and METRICS_NAMESPACE must not be blank");
        }
        if (!(debugSampleRate >= 0 && debugSampleRate <= 1)) {
            throw new IllegalStateException("LOG_DEBUG_SAMPLE_RATE must be 0 to 1");
        }
    }

    public static Observability defaults() {
        return from(Map.of());
    }

    public static Observability fromEnvironment() {
        return from(Environment.current());
    }

    public static Observability from(Map<String, String> env) {
        return new Observability(
                env.getOrDefault("LOG_LEVEL", "INFO").trim().toUpperCase(Locale.ROOT),
                env.getOrDefault("SERVICE_NAME", "connections").trim(),
                Double.parseDouble(env.getOrDefault("LOG_DEBUG_SAMPLE_RATE", "0")),
                env.getOrDefault("METRICS_NAMESPACE", "Connections").trim());
    }
}
