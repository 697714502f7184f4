package app.connections.api.lambda;

import app.connections.platform.logging.LogContext;
import com.amazonaws.services.lambda.runtime.Context;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * The Lambda invocation's fields on every log line written while it runs: service, cold start,
 * function name, version, ARN, memory, request id and X-Ray trace id (the fields Powertools for
 * AWS Lambda writes).
 */
public final class LambdaLogContext {
    private static final AtomicBoolean COLD = new AtomicBoolean(true);

    private LambdaLogContext() {
    }

    /** Runs one invocation with its fields on every log line. */
    public static <T> T with(Context context, Supplier<T> invocation) {
        if (context == null) { // a direct call without a runtime (tests): no invocation fields
            return invocation.get();
        }
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("service", LogContext.service());
        // SnapStart priming is not an invocation: the first real one after restore is the cold one
        boolean priming = "priming".equals(context.getAwsRequestId());
        fields.put("cold_start", !priming && COLD.getAndSet(false));
        fields.put("function_name", String.valueOf(context.getFunctionName()));
        fields.put("function_version", String.valueOf(context.getFunctionVersion()));
        fields.put("function_arn", String.valueOf(context.getInvokedFunctionArn()));
        fields.put("function_memory_size", context.getMemoryLimitInMB());
        fields.put("function_request_id", String.valueOf(context.getAwsRequestId()));
        String trace = System.getProperty("com.amazonaws.xray.traceHeader", System.getenv("_X_AMZN_TRACE_ID"));
        if (trace != null) {
            fields.put("xray_trace_id", trace);
        }
        return LogContext.with(fields, invocation);
    }
}
