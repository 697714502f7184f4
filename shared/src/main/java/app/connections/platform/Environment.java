package app.connections.platform;

import java.util.Map;
import java.util.function.Supplier;

/**
 * The process environment as the service reads it. In Lambda this is {@link System#getenv()}.
 * A local runner that hosts several functions in one JVM (the dev server) builds each handler
 * inside {@link #with(Map, Supplier)}, so each reads the environment its template entry defines.
 */
public final class Environment {
    private static final ThreadLocal<Map<String, String>> OVERRIDE = new ThreadLocal<>();

    private Environment() {
    }

    public static Map<String, String> current() {
        Map<String, String> override = OVERRIDE.get();
        return override != null ? override : System.getenv();
    }

    /** Runs {@code action} (typically a handler's constructor) with {@code env} as the environment. */
    public static <T> T with(Map<String, String> env, Supplier<T> action) {
        Map<String, String> previous = OVERRIDE.get();
        OVERRIDE.set(Map.copyOf(env));
        try {
            return action.get();
        } finally {
            if (previous == null) {
                OVERRIDE.remove();
            } else {
                OVERRIDE.set(previous);
            }
        }
    }
}
