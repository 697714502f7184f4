package app.connections.api.lambda;

import org.crac.Context;
import org.crac.Core;
import org.crac.Resource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SnapStart priming: work run once before Lambda takes the function's snapshot, so restored
 * environments start with classes loaded and initialized instead of doing that on the first
 * request. What a function primes must have no side effect: no AWS call, no provider call, no
 * write, no token, and nothing unique kept (ids, nonces and keys are all created per request,
 * after restore). A failed priming never blocks the snapshot.
 */
public final class Priming implements Resource {
    private static final Logger LOG = LoggerFactory.getLogger(Priming.class);
    /** Strong references: CRaC contexts may hold resources only weakly. */
    private static final java.util.List<Priming> REGISTERED = new java.util.concurrent.CopyOnWriteArrayList<>();

    private final Runnable prime;
    private final Runnable forget;

    private Priming(Runnable prime, Runnable forget) {
        this.prime = prime;
        this.forget = forget;
    }

    /**
     * Registers {@code prime} to run before the snapshot, then {@code forget} (drops anything
     * cached that must not be in a snapshot).
     */
    public static Priming beforeSnapshot(Runnable prime, Runnable forget) {
        Priming priming = new Priming(prime, forget);
        REGISTERED.add(priming);
        Core.getGlobalContext().register(priming);
        return priming;
    }

    /**
     * Priming of what Powertools loads: one invocation through {@link LambdaLogContext} (Powertools
     * logging's context fields, the JSON encoder, a log line) that records a metric (Powertools'
     * EMF logger serializes it; priming writes nothing). Not Powertools' own class list
     * ({@code classesloaded.txt}): it names its AspectJ aspects, which we do not use or package.
     */
    public static void primeTelemetry() {
        LambdaLogContext.with(new LocalLambdaContext("priming", "priming", System.currentTimeMillis() + 10_000), "priming", () -> {
            LambdaLogContext.metrics().count(app.connections.platform.Metric.RESOLVES, "priming");
            LOG.atInfo().addKeyValue("priming", true).log("snapshot priming");
            return null;
        });
    }

    @Override
    public void beforeCheckpoint(Context<? extends Resource> context) {
        primed();
    }

    private boolean primed() {
        try {
            prime.run();
            return true;
        } catch (RuntimeException | LinkageError e) {
            LOG.warn("priming failed; the snapshot is taken unprimed: {}", e.getClass().getSimpleName());
            return false;
        } finally {
            forget.run();
        }
    }

    @Override
    public void afterRestore(Context<? extends Resource> context) {
        // nothing to restore: no connection, credential or random state is carried in the snapshot
    }

    /**
     * Runs every registered priming now, as the snapshot would (tests, and the cold-start
     * benchmark's estimate of a restored environment's first invocation).
     */
    public static Outcome runAll() {
        int failed = 0;
        for (Priming p : REGISTERED) {
            failed += p.primed() ? 0 : 1;
        }
        return new Outcome(REGISTERED.size(), failed);
    }

    /** How many primings ran, and how many of them failed. */
    public record Outcome(int ran, int failed) {
    }
}
