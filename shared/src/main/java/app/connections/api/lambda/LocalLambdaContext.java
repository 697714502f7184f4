package app.connections.api.lambda;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;

/**
 * The Lambda context of a local invocation (the dev server, tests, benchmarks): a function name,
 * a request id, a deadline and the memory size (the dev server takes both from the function's
 * template {@code Timeout} and {@code MemorySize}, as {@code sam local} does).
 */
public record LocalLambdaContext(String functionName, String requestId, long deadlineMillis, int memoryLimitInMB)
        implements Context {
    public LocalLambdaContext(String functionName, String requestId, long deadlineMillis) {
        this(functionName, requestId, deadlineMillis, 1024);
    }

    /** A fresh invocation with {@code timeoutMillis} to run and {@code memoryMb} of memory. */
    public static LocalLambdaContext of(String functionName, long timeoutMillis, int memoryMb) {
        return new LocalLambdaContext(functionName, java.util.UUID.randomUUID().toString(),
                System.currentTimeMillis() + timeoutMillis, memoryMb);
    }

    /** A fresh invocation with {@code timeoutMillis} to run (1024 MB). */
    public static LocalLambdaContext of(String functionName, long timeoutMillis) {
        return of(functionName, timeoutMillis, 1024);
    }

    public static LocalLambdaContext of(String functionName) {
        return of(functionName, 300_000);
    }

    @Override
    public String getAwsRequestId() {
        return requestId;
    }

    @Override
    public String getLogGroupName() {
        return "/aws/lambda/" + functionName;
    }

    @Override
    public String getLogStreamName() {
        return "local";
    }

    @Override
    public String getFunctionName() {
        return functionName;
    }

    @Override
    public String getFunctionVersion() {
        return "$LATEST";
    }

    @Override
    public String getInvokedFunctionArn() {
        return "arn:aws:lambda:us-east-1:123456789012:function:" + functionName;
    }

    @Override
    public CognitoIdentity getIdentity() {
        return null;
    }

    @Override
    public ClientContext getClientContext() {
        return null;
    }

    @Override
    public int getRemainingTimeInMillis() {
        return (int) Math.max(0, deadlineMillis - System.currentTimeMillis());
    }

    @Override
    public int getMemoryLimitInMB() {
        return memoryLimitInMB;
    }

    @Override
    public LambdaLogger getLogger() {
        return new LambdaLogger() {
            @Override
            public void log(String message) {
                System.out.print(message);
            }

            @Override
            public void log(byte[] message) {
                System.out.print(new String(message, java.nio.charset.StandardCharsets.UTF_8));
            }
        };
    }
}
