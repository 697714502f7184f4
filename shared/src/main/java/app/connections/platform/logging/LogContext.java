package app.connections.platform.logging;

import java.util.Map;
import java.util.function.Supplier;

/** Fields added to every log line written while an action runs (and by threads it starts). */
public final class LogContext {
    private static final InheritableThreadLocal<Map<String, Object>> CURRENT = new InheritableThreadLocal<>();
    private static final String SERVICE = System.getenv().getOrDefault("SERVICE_NAME", "connections");

    private LogContext() {
    }

    /** The service name on every line ({@code SERVICE_NAME}, default {@code connections}). */
    public static String service() {
        return SERVICE;
    }

    /** Runs {@code action} with {@code fields} on its log lines; the outer fields come back after. */
    public static <T> T with(Map<String, Object> fields, Supplier<T> action) {
        Map<String, Object> outer = CURRENT.get();
        CURRENT.set(Map.copyOf(fields));
        try {
            return action.get();
        } finally {
            CURRENT.set(outer);
        }
    }

    static Map<String, Object> fields() {
        Map<String, Object> fields = CURRENT.get();
        return fields == null ? Map.of("service", SERVICE) : fields;
    }
}
