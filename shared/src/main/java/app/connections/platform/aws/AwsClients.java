package app.connections.platform.aws;

import app.connections.platform.Metric;
import app.connections.platform.Metrics;
import java.util.function.Supplier;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProviderChain;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.ContainerCredentialsProvider;
import software.amazon.awssdk.auth.credentials.EnvironmentVariableCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.auth.credentials.SystemPropertyCredentialsProvider;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * The SDK clients of one execution environment, each built on first use and then reused. They
 * share one URLConnection HTTP client; region and endpoint come from the environment
 * ({@code AWS_REGION}, {@code AWS_ENDPOINT_URL}) or the equivalent system properties, so the same
 * code talks to AWS in Lambda and to moto locally. Retries are the SDK's defaults.
 */
public final class AwsClients {
    private final SdkHttpClient http = UrlConnectionHttpClient.create();
    private final AwsCredentialsProvider credentials = AwsCredentialsProviderChain.of(
            EnvironmentVariableCredentialsProvider.create(), SystemPropertyCredentialsProvider.create(),
            // with SnapStart, Lambda gives credentials through the container credentials endpoint
            ContainerCredentialsProvider.create());
    private final Customizer override;
    private volatile Metrics metrics = Metrics.NONE;

    // Each client is built on first use. The builder lambdas are created inside the accessors, not
    // in field initializers, so a function packaged without an SDK module (workspaces has no KMS)
    // never loads that module's classes.
    private final Lazy<DynamoDbClient> dynamo = new Lazy<>();
    private final Lazy<SecretsManagerClient> secrets = new Lazy<>();
    private final Lazy<KmsClient> kms = new Lazy<>();
    private final Lazy<EventBridgeClient> events = new Lazy<>();

    public AwsClients() {
        this((service, config) -> { });
    }

    /**
     * Clients whose override configuration is adjusted by {@code override} — the seam tests use to
     * add an {@code ExecutionInterceptor} (fault injection) to every client.
     */
    public AwsClients(Customizer override) {
        this.override = override;
    }

    /**
     * Counts the requests that failed throttled after the SDK's retries ({@link Metric#AWS_THROTTLES}
     * by service: a throttled KMS key or table shows as a metric, not only in log lines). Takes
     * effect for the clients built after it.
     */
    public void countThrottles(Metrics metrics) {
        this.metrics = metrics;
    }

    private ClientOverrideConfiguration.Builder configured(String service, ClientOverrideConfiguration.Builder o) {
        o.addExecutionInterceptor(new ExecutionInterceptor() {
            @Override
            public void onExecutionFailure(Context.FailedExecution context, ExecutionAttributes attributes) {
                if (context.exception() instanceof software.amazon.awssdk.core.exception.SdkServiceException e
                        && e.isThrottlingException()) {
                    metrics.count(Metric.AWS_THROTTLES, service);
                }
            }
        });
        override.apply(service, o);
        return o;
    }

    /** Adjusts the override configuration of one service's client (named by the client's {@code SERVICE_NAME}). */
    @FunctionalInterface
    public interface Customizer {
        void apply(String serviceName, ClientOverrideConfiguration.Builder config);
    }

    public DynamoDbClient dynamo() {
        return dynamo.get(() -> DynamoDbClient.builder().httpClient(http).credentialsProvider(credentials)
                .overrideConfiguration(o -> configured(DynamoDbClient.SERVICE_NAME, o)).build());
    }

    public SecretsManagerClient secrets() {
        return secrets.get(() -> SecretsManagerClient.builder().httpClient(http).credentialsProvider(credentials)
                .overrideConfiguration(o -> configured(SecretsManagerClient.SERVICE_NAME, o)).build());
    }

    public KmsClient kms() {
        return kms.get(() -> KmsClient.builder().httpClient(http).credentialsProvider(credentials)
                .overrideConfiguration(o -> configured(KmsClient.SERVICE_NAME, o)).build());
    }

    public EventBridgeClient events() {
        return events.get(() -> EventBridgeClient.builder().httpClient(http).credentialsProvider(credentials)
                .overrideConfiguration(o -> configured(EventBridgeClient.SERVICE_NAME, o)).build());
    }

    /**
     * SnapStart priming of the SDK request path (endpoint rules, marshalling, signing, retry and
     * HTTP pipeline classes) for each client this environment has built: one read request through
     * a twin client that is stopped before transmission, so nothing leaves the process. The twin
     * signs with fixed placeholder credentials; the real credentials are never resolved before the
     * snapshot (with SnapStart they come from the container credentials endpoint after restore).
     */
    public void primeRequestPath() {
        AwsCredentialsProvider placeholder = StaticCredentialsProvider.create(AwsBasicCredentials.create("PRIMING", "PRIMING"));
        java.util.function.Consumer<ClientOverrideConfiguration.Builder> stopped = o -> o
                .addExecutionInterceptor(NOT_SENT)
                .retryStrategy(b -> b.maxAttempts(1));
        if (dynamo.built()) {
            prime(() -> DynamoDbClient.builder().httpClient(http).credentialsProvider(placeholder)
                    .overrideConfiguration(stopped).build()
                    .getItem(b -> b.tableName("priming").key(java.util.Map.of("pk",
                            software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromS("priming")))));
        }
        if (secrets.built()) {
            prime(() -> SecretsManagerClient.builder().httpClient(http).credentialsProvider(placeholder)
                    .overrideConfiguration(stopped).build().getSecretValue(b -> b.secretId("priming")));
        }
        if (kms.built()) {
            prime(() -> KmsClient.builder().httpClient(http).credentialsProvider(placeholder)
                    .overrideConfiguration(stopped).build().describeKey(b -> b.keyId("alias/priming")));
        }
        if (events.built()) {
            prime(() -> EventBridgeClient.builder().httpClient(http).credentialsProvider(placeholder)
                    .overrideConfiguration(stopped).build().describeEventBus(b -> b.name("priming")));
        }
    }

    private static void prime(Runnable request) {
        try {
            request.run();
        } catch (RuntimeException expected) { // NotSent itself, or wrapped by the SDK
            for (Throwable t = expected; t != null; t = t.getCause()) {
                if (t instanceof NotSent) {
                    return;
                }
            }
            throw expected; // the request path did not stop where priming stops it
        }
    }

    /** Thrown before transmission: a primed request never reaches the network. */
    private static final class NotSent extends RuntimeException {
        NotSent() {
            super("priming request stopped before transmission", null, false, false);
        }
    }

    private static final ExecutionInterceptor NOT_SENT = new ExecutionInterceptor() {
        @Override
        public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
            throw new NotSent();
        }
    };

    /** A value built on first use, once, thread-safely. */
    private static final class Lazy<T> {
        private volatile T value;

        boolean built() {
            return value != null;
        }

        T get(Supplier<T> factory) {
            T v = value;
            if (v == null) {
                synchronized (this) {
                    v = value;
                    if (v == null) {
                        v = factory.get();
                        value = v;
                    }
                }
            }
            return v;
        }
    }

    /** A supplier that builds its value on first use, once, thread-safely. */
    public static <T> Supplier<T> memoize(Supplier<T> factory) {
        Lazy<T> lazy = new Lazy<>();
        return () -> lazy.get(factory);
    }
}
