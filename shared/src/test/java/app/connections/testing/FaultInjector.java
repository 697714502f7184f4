package app.connections.testing;

import app.connections.platform.aws.AwsClients;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.http.SdkHttpResponse;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.InternalServerErrorException;
import software.amazon.awssdk.services.dynamodb.model.ProvisionedThroughputExceededException;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.kms.model.InvalidCiphertextException;
import software.amazon.awssdk.services.kms.model.KmsException;
import software.amazon.awssdk.services.kms.model.KmsInternalException;
import software.amazon.awssdk.services.kms.model.KmsInvalidStateException;
import software.amazon.awssdk.services.secretsmanager.model.InternalServiceErrorException;
import software.amazon.awssdk.services.secretsmanager.model.SecretsManagerException;

/**
 * Fault injection into real AWS calls, as an SDK {@link ExecutionInterceptor}: not a fake of any
 * service. Every call still goes to the local stack (moto) except the attempts a rule is armed for,
 * and those fail exactly as the service's own error would reach the SDK (the modeled exception
 * class, HTTP status and error code).
 *
 * <p><b>SDK retries are exercised, not bypassed.</b> A rule counts <em>attempts</em> (it hooks
 * {@code beforeTransmission} / {@code afterTransmission}, which run once per attempt inside the
 * SDK's retry loop), so the SDK's own retry decisions apply: a throttle armed for fewer attempts
 * than the client allows (DynamoDB 9, Secrets Manager and KMS 4 with the SDK defaults this service
 * uses) is absorbed by the SDK and the caller never sees it; to make a call give up, arm more
 * failures than that. {@link #install()} keeps the SDK's default retry strategy (which errors are
 * retried, how many attempts, the retry token bucket) and shortens only the sleeps between
 * attempts, so a suite of faults runs in seconds.
 *
 * <p>Rules: fail the next N matching attempts with an {@link AwsError}, either instead of the call
 * (the request never reaches the service) or {@linkplain Rule#afterTheCallSucceeded() after it
 * succeeded} (the service applied it, the answer is lost — a 5xx after the write, a dropped
 * connection); {@linkplain Rule#crash() crash} the process at that point; or
 * {@linkplain Rule#runFirst(Runnable) run something} just before the call (a concurrent writer).
 */
public final class FaultInjector implements ExecutionInterceptor {
    /** Attempts per call the SDK's default retry strategy allows for each service used here. */
    public static final Map<Service, Integer> SDK_ATTEMPTS = Map.of(Service.DYNAMODB, 9, Service.SECRETS_MANAGER, 4,
            Service.KMS, 4, Service.EVENTBRIDGE, 4);

    public enum Service {
        DYNAMODB("DynamoDb", "dynamodb"), SECRETS_MANAGER("SecretsManager", "secretsmanager"), KMS("Kms", "kms"),
        EVENTBRIDGE("EventBridge", "events");

        final String sdkName;
        /** The client's {@code SERVICE_NAME}, as {@link AwsClients.Customizer} names it. */
        final String clientName;

        Service(String sdkName, String clientName) {
            this.sdkName = sdkName;
            this.clientName = clientName;
        }
    }

    /** What the service answers. */
    public enum AwsError {
        /** DynamoDB {@code ProvisionedThroughputExceededException}, Secrets Manager and KMS {@code ThrottlingException} (400). */
        THROTTLED,
        /** DynamoDB {@code ConditionalCheckFailedException} (400). */
        CONDITION_FAILED,
        /** 500: DynamoDB {@code InternalServerError}, Secrets Manager {@code InternalServiceError}, KMS {@code KMSInternalException}. */
        SERVER_ERROR,
        /** KMS {@code KMSInvalidStateException} (400): the key is disabled or pending deletion. */
        KEY_UNUSABLE,
        /** KMS {@code InvalidCiphertextException} (400): the data key does not decrypt. */
        CIPHERTEXT_REFUSED,
        /**
         * DynamoDB {@code TransactionCanceledException} (400) of a {@code TransactWriteItems} that
         * conflicted with a concurrent transaction: reason {@code TransactionConflict} for its first
         * write, {@code None} for the others, as DynamoDB answers it (moto serializes transactions and
         * never does).
         */
        TRANSACTION_CONFLICT
    }

    /** The process died at this point: thrown by the call that crashed and by every later AWS call of its thread. */
    public static final class ProcessCrashed extends Error {
        ProcessCrashed(String where) {
            super("simulated process crash at " + where);
        }
    }

    private final Queue<Rule> rules = new ConcurrentLinkedQueue<>();
    private final Map<String, AtomicInteger> attempts = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> injected = new ConcurrentHashMap<>();
    private final Set<Thread> dead = ConcurrentHashMap.newKeySet();

    /**
     * The client configuration that routes every call through this injector. The SDK's retry
     * strategy stays (its retry decisions and its attempts per service, {@link #SDK_ATTEMPTS}, which
     * a test checks against the SDK's own defaults); only the sleeps between attempts are shortened.
     */
    public AwsClients.Customizer install() {
        BackoffStrategy quick = BackoffStrategy.exponentialDelay(Duration.ofMillis(1), Duration.ofMillis(20));
        return (clientName, o) -> {
            Service service = java.util.Arrays.stream(Service.values()).filter(s -> s.clientName.equals(clientName))
                    .findFirst().orElseThrow(() -> new IllegalArgumentException("no fault injection for " + clientName));
            o.addExecutionInterceptor(this).retryStrategy(b -> b.maxAttempts(SDK_ATTEMPTS.get(service))
                    .backoffStrategy(quick).throttlingBackoffStrategy(quick));
        };
    }

    /** Arms a rule for {@code operation} (the API name, e.g. {@code PutSecretValue}) of {@code service}. */
    public Rule on(Service service, String operation) {
        return new Rule(service, operation);
    }

    /** Attempts of the operation that went out (or were failed here), since the start. */
    public int attempts(Service service, String operation) {
        return attempts.getOrDefault(key(service.sdkName, operation), new AtomicInteger()).get();
    }

    /** Faults injected into the operation so far. */
    public int injected(Service service, String operation) {
        return injected.getOrDefault(key(service.sdkName, operation), new AtomicInteger()).get();
    }

    /** Whether every armed fault has fired (a test that arms a fault never reached would prove nothing). */
    public boolean allFired() {
        return rules.stream().allMatch(r -> r.remaining.get() <= 0);
    }

    /** Disarms everything and revives crashed threads. */
    public void reset() {
        rules.clear();
        dead.clear();
    }

    public final class Rule {
        private final Service service;
        private final String operation;
        private Predicate<SdkRequest> where = r -> true;
        private boolean afterSuccess;
        private Runnable onFault = () -> { };
        private final AtomicInteger remaining = new AtomicInteger();
        private AwsError error;
        private boolean crash;
        private Runnable action;

        private Rule(Service service, String operation) {
            this.service = service;
            this.operation = operation;
        }

        /** Only requests for which {@code predicate} holds (e.g. a lease item rather than a connection). */
        public Rule where(Predicate<SdkRequest> predicate) {
            this.where = predicate;
            return this;
        }

        /** Let the call reach the service and succeed, then lose the answer: the caller sees the error. */
        public Rule afterTheCallSucceeded() {
            this.afterSuccess = true;
            return this;
        }

        /** Runs on every fault injected by this rule (e.g. moves the test clock by the time a retry would take). */
        public Rule onEachFault(Runnable effect) {
            this.onFault = effect;
            return this;
        }

        /** Fails the next {@code times} matching attempts with {@code error}. */
        public void fail(AwsError error, int times) {
            this.error = error;
            remaining.set(times);
            rules.add(this);
        }

        /** The process dies at the next matching attempt: nothing it does afterwards reaches AWS (no finally block, no lease release). */
        public void crash() {
            this.crash = true;
            remaining.set(1);
            rules.add(this);
        }

        /** Runs {@code action} once, just before the next matching call goes out (it then proceeds). */
        public void runFirst(Runnable action) {
            this.action = action;
            remaining.set(1);
            rules.add(this);
        }

        private boolean matches(String serviceName, String op, SdkRequest request, boolean afterPhase) {
            return remaining.get() > 0 && service.sdkName.equals(serviceName) && operation.equals(op)
                    && afterSuccess == afterPhase && where.test(request);
        }
    }

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
        if (dead.contains(Thread.currentThread())) {
            throw new ProcessCrashed(attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME) + " (after the crash)");
        }
    }

    @Override
    public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
        String service = attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME);
        String operation = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
        attempts.computeIfAbsent(key(service, operation), k -> new AtomicInteger()).incrementAndGet();
        fire(service, operation, context.request(), false);
    }

    @Override
    public void afterTransmission(Context.AfterTransmission context, ExecutionAttributes attributes) {
        if (!context.httpResponse().isSuccessful()) {
            return; // the service's own error goes to the caller as it is
        }
        String service = attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME);
        String operation = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
        Rule rule = claim(service, operation, context.request(), true);
        if (rule != null) {
            context.responseBody().ifPresent(FaultInjector::drain); // the answer is lost
            apply(rule, service, operation, context.request());
        }
    }

    private void fire(String service, String operation, SdkRequest request, boolean afterPhase) {
        Rule rule = claim(service, operation, request, afterPhase);
        if (rule != null) {
            apply(rule, service, operation, request);
        }
    }

    private Rule claim(String service, String operation, SdkRequest request, boolean afterPhase) {
        for (Rule rule : rules) {
            if (rule.matches(service, operation, request, afterPhase) && rule.remaining.getAndDecrement() > 0) {
                return rule;
            }
        }
        return null;
    }

    private void apply(Rule rule, String service, String operation, SdkRequest request) {
        if (rule.action != null) {
            rule.action.run();
            return;
        }
        injected.computeIfAbsent(key(service, operation), k -> new AtomicInteger()).incrementAndGet();
        if (rule.crash) {
            dead.add(Thread.currentThread());
            throw new ProcessCrashed(operation + (rule.afterSuccess ? " (after it succeeded)" : " (before it was sent)"));
        }
        rule.onFault.run();
        if (rule.error == AwsError.TRANSACTION_CONFLICT) {
            throw transactionConflict(service, operation, request);
        }
        throw exception(service, rule.error, operation);
    }

    /** A cancelled transaction whose first write conflicted with another transaction. */
    static AwsServiceException transactionConflict(String service, String operation, SdkRequest request) {
        if (!service.equals("DynamoDb") || !(request instanceof TransactWriteItemsRequest transaction)) {
            throw new IllegalArgumentException("a transaction conflict needs a DynamoDB TransactWriteItems, not " + operation);
        }
        java.util.List<CancellationReason> reasons = new java.util.ArrayList<>();
        for (int i = 0; i < transaction.transactItems().size(); i++) {
            reasons.add(i == 0 ? CancellationReason.builder().code("TransactionConflict")
                    .message("Transaction is ongoing for the item").build() : CancellationReason.builder().code("None").build());
        }
        String message = "Transaction cancelled, please refer cancellation reasons for specific reasons "
                + reasons.stream().map(CancellationReason::code).toList() + " (injected)";
        return TransactionCanceledException.builder().cancellationReasons(reasons).message(message).statusCode(400)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode("TransactionCanceledException").errorMessage(message)
                        .serviceName(service).sdkHttpResponse(SdkHttpResponse.builder().statusCode(400).build()).build())
                .build();
    }

    /** The exception the SDK raises for the service's answer: modeled class, status, error code. */
    static AwsServiceException exception(String service, AwsError error, String operation) {
        String message = "injected " + error + " on " + service + " " + operation;
        AwsServiceException.Builder b;
        String code;
        int status;
        switch (service + "/" + error) {
            case "DynamoDb/THROTTLED" -> {
                b = ProvisionedThroughputExceededException.builder();
                code = "ProvisionedThroughputExceededException";
                status = 400;
            }
            case "DynamoDb/CONDITION_FAILED" -> {
                b = ConditionalCheckFailedException.builder();
                code = "ConditionalCheckFailedException";
                status = 400;
            }
            case "DynamoDb/SERVER_ERROR" -> {
                b = InternalServerErrorException.builder();
                code = "InternalServerError";
                status = 500;
            }
            case "SecretsManager/THROTTLED" -> {
                b = SecretsManagerException.builder();
                code = "ThrottlingException";
                status = 400;
            }
            case "SecretsManager/SERVER_ERROR" -> {
                b = InternalServiceErrorException.builder();
                code = "InternalServiceError";
                status = 500;
            }
            case "Kms/THROTTLED" -> {
                b = KmsException.builder();
                code = "ThrottlingException";
                status = 400;
            }
            case "Kms/SERVER_ERROR" -> {
                b = KmsInternalException.builder();
                code = "KMSInternalException";
                status = 500;
            }
            case "Kms/KEY_UNUSABLE" -> {
                b = KmsInvalidStateException.builder();
                code = "KMSInvalidStateException";
                status = 400;
            }
            case "Kms/CIPHERTEXT_REFUSED" -> {
                b = InvalidCiphertextException.builder();
                code = "InvalidCiphertextException";
                status = 400;
            }
            case "EventBridge/THROTTLED" -> {
                b = software.amazon.awssdk.services.eventbridge.model.EventBridgeException.builder();
                code = "ThrottlingException";
                status = 400;
            }
            case "EventBridge/SERVER_ERROR" -> {
                b = software.amazon.awssdk.services.eventbridge.model.InternalException.builder();
                code = "InternalException";
                status = 500;
            }
            default -> throw new IllegalArgumentException(service + " does not answer " + error);
        }
        return b.message(message).statusCode(status)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode(code).errorMessage(message).serviceName(service)
                        .sdkHttpResponse(SdkHttpResponse.builder().statusCode(status).build()).build())
                .build();
    }

    private static String key(String service, String operation) {
        return service + "/" + operation;
    }

    private static void drain(InputStream body) {
        try (body) {
            body.transferTo(java.io.OutputStream.nullOutputStream());
        } catch (IOException ignored) {
            // the answer is being thrown away anyway
        }
    }
}
