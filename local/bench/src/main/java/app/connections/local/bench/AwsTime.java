package app.connections.local.bench;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttribute;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;

/**
 * Benchmarks only (registered through the SDK's global-interceptor file in bench.jar): counts the
 * AWS requests sent, by {@code Service.Operation}, and the time this thread spent waiting for the
 * emulator's answers, so a harness can tell its own code's time from moto's.
 */
public final class AwsTime implements ExecutionInterceptor {
    private static final ExecutionAttribute<Long> SENT = new ExecutionAttribute<>("bench.sent");
    private static final Map<String, LongAdder> CALLS = new ConcurrentHashMap<>();
    private static final ThreadLocal<long[]> WAITED = ThreadLocal.withInitial(() -> new long[1]);

    @Override
    public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
        attributes.putAttribute(SENT, System.nanoTime());
    }

    @Override
    public void afterTransmission(Context.AfterTransmission context, ExecutionAttributes attributes) {
        WAITED.get()[0] += System.nanoTime() - attributes.getAttribute(SENT);
        CALLS.computeIfAbsent(attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME) + "."
                + attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME), k -> new LongAdder()).increment();
    }

    /** Nanoseconds this thread has spent waiting for AWS answers so far. */
    static long waitedNanos() {
        return WAITED.get()[0];
    }

    static long calls(String serviceOperation) {
        LongAdder a = CALLS.get(serviceOperation);
        return a == null ? 0 : a.sum();
    }

    static long totalCalls() {
        return CALLS.values().stream().mapToLong(LongAdder::sum).sum();
    }
}
