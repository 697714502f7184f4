package app.connections.platform;

import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * When the current invocation must have finished: the Lambda's remaining time, taken when the
 * invocation starts ({@code LambdaLogContext}) and read by whatever must stop before it — a provider
 * call takes the smaller of its own timeout and this, less a margin. Bound to the thread that runs
 * the invocation; a worker thread of the invocation gets it through {@link #carried(Runnable)}
 * (never inherited implicitly, so a pooled thread cannot keep a past invocation's deadline).
 */
public final class InvocationDeadline {
    /** {@link System#nanoTime()} at which the invocation ends; unset outside an invocation. */
    private static final ThreadLocal<Long> END_NANOS = new ThreadLocal<>();

    private InvocationDeadline() {
    }

    /** Runs {@code work} as an invocation with {@code remaining} time left. */
    public static <T> T within(Duration remaining, Supplier<T> work) {
        return at(System.nanoTime() + remaining.toNanos(), work);
    }

    private static <T> T at(long endNanos, Supplier<T> work) {
        Long before = END_NANOS.get();
        END_NANOS.set(endNanos);
        try {
            return work.get();
        } finally {
            if (before == null) {
                END_NANOS.remove();
            } else {
                END_NANOS.set(before);
            }
        }
    }

    /** The time left to the current invocation, or empty outside one (a test calling directly). */
    public static Optional<Duration> remaining() {
        Long end = END_NANOS.get();
        return end == null ? Optional.empty() : Optional.of(Duration.ofNanos(end - System.nanoTime()));
    }

    /** {@code task} with the current invocation's deadline, for a worker thread of the invocation. */
    public static Runnable carried(Runnable task) {
        Long end = END_NANOS.get();
        if (end == null) {
            return task;
        }
        return () -> at(end, () -> {
            task.run();
            return null;
        });
    }
}
