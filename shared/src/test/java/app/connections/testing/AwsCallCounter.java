package app.connections.testing;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;

/**
 * Counts every AWS API request this JVM sent and got an answer to (each attempt), by {@code Service.Operation} (e.g.
 * {@code "SecretsManager.GetSecretValue"}). A module turns it on for every SDK client by listing
 * it in {@code software/amazon/awssdk/global/handlers/execution.interceptors} on its test
 * classpath: the SDK's own global-interceptor mechanism, so production code is untouched. The
 * calls themselves still go to the local emulator.
 */
public final class AwsCallCounter implements ExecutionInterceptor {
    private static final Map<String, LongAdder> CALLS = new ConcurrentHashMap<>();

    @Override
    public void afterTransmission(Context.AfterTransmission context, ExecutionAttributes attributes) {
        String service = attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME);
        String operation = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
        CALLS.computeIfAbsent(service + "." + operation, k -> new LongAdder()).increment();
    }

    /** Calls so far of this operation, e.g. {@code count("Kms", "Decrypt")}. */
    public static long count(String service, String operation) {
        LongAdder adder = CALLS.get(service + "." + operation);
        return adder == null ? 0 : adder.sum();
    }

    /** A copy of every counter. */
    public static Map<String, Long> snapshot() {
        Map<String, Long> copy = new java.util.TreeMap<>();
        CALLS.forEach((k, v) -> copy.put(k, v.sum()));
        return copy;
    }
}
