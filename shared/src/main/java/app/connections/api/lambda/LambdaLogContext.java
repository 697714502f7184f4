package app.connections.api.lambda;

import app.connections.platform.InvocationDeadline;
import app.connections.platform.Observability;
import app.connections.platform.lambda.EmfMetrics;
import app.connections.platform.lambda.LogbackSetup;
import app.connections.platform.logging.LogFields;
import com.amazonaws.services.lambda.runtime.Context;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.slf4j.MDC;
import software.amazon.lambda.powertools.logging.PowertoolsLogging;

/**
 * One Lambda invocation's log fields and metrics. Powertools logging puts the invocation's fields in
 * the MDC (function name, version, ARN, memory, request id, the X-Ray trace id — its {@code Root}
 * only — and the sampling rate) and, by {@code LOG_DEBUG_SAMPLE_RATE}, turns DEBUG on for a share
 * of invocations; we add the service name ({@code SERVICE_NAME}), the cold start (SnapStart's
 * priming is not an invocation: the first real one after restore is the cold one) and the
 * correlation id. The metrics the invocation recorded are written when it ends ({@link EmfMetrics}).
 * The invocation's remaining time becomes its {@link InvocationDeadline}, which provider calls stay below.
 */
public final class LambdaLogContext {
    private static final AtomicBoolean COLD = new AtomicBoolean(true);
    private static volatile Observability settings;
    private static volatile EmfMetrics metrics;
    /** Logback is the backend (the log4j2 build profile, bin/bench's comparison, has Powertools' Log4j 2 backend). */
    private static final boolean LOGBACK = org.slf4j.LoggerFactory.getILoggerFactory().getClass().getName()
            .startsWith("ch.qos.logback");

    private LambdaLogContext() {
    }

    /** The environment's settings (the wiring passes the configuration's). */
    public static void configure(Observability observability) {
        settings = observability;
        metrics = new EmfMetrics(observability);
        if (LOGBACK) {
            LogbackSetup.apply(observability);
        }
    }

    private static Observability settings() {
        Observability s = settings;
        if (s == null) {
            s = Observability.fromEnvironment();
            settings = s;
        }
        return s;
    }

    /** The metrics of this environment (EMF, with its namespace and service name). */
    public static EmfMetrics metrics() {
        EmfMetrics m = metrics;
        if (m == null) {
            m = new EmfMetrics(settings());
            metrics = m;
        }
        return m;
    }

    /** Runs one invocation without a correlation id of its own (its request id stands in). */
    public static <T> T with(Context context, Supplier<T> invocation) {
        return with(context, null, invocation);
    }

    /**
     * Runs one invocation with its fields on every log line and {@code correlationId} (the API
     * request id, the runtime's run id, the schedule event's id) as {@code correlation_id}.
     */
    public static <T> T with(Context context, String correlationId, Supplier<T> invocation) {
        if (context == null) { // a direct call without a runtime (tests): no invocation fields
            return invocation.get();
        }
        boolean priming = "priming".equals(context.getAwsRequestId());
        Observability s = settings();
        double sampleRate = priming ? 0 : s.debugSampleRate();
        return EmfMetrics.invocation(priming, String.valueOf(context.getFunctionName()),
                () -> PowertoolsLogging.withLogging(context, sampleRate, () -> {
                    MDC.put("service", s.serviceName());
                    MDC.put("cold_start", String.valueOf(!priming && COLD.getAndSet(false)));
                    MDC.put(LogFields.CORRELATION_ID, correlationId != null && !correlationId.isBlank()
                            ? correlationId : String.valueOf(context.getAwsRequestId()));
                    try {
                        return InvocationDeadline.within(Duration.ofMillis(context.getRemainingTimeInMillis()), invocation);
                    } finally {
                        if (sampleRate > 0 && LOGBACK) {
                            LogbackSetup.apply(s); // a sampled invocation's DEBUG ends with it
                        }
                    }
                }));
    }
}
