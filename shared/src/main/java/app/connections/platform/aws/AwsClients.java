package app.connections.platform.aws;

import java.util.function.Supplier;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProviderChain;
import software.amazon.awssdk.auth.credentials.EnvironmentVariableCredentialsProvider;
import software.amazon.awssdk.auth.credentials.SystemPropertyCredentialsProvider;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
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
            EnvironmentVariableCredentialsProvider.create(), SystemPropertyCredentialsProvider.create());
    private final Customizer override;

    private final Supplier<DynamoDbClient> dynamo;
    private final Supplier<SecretsManagerClient> secrets;
    private final Supplier<KmsClient> kms;
    private final Supplier<EventBridgeClient> events;

    public AwsClients() {
        this((service, config) -> { });
    }

    /**
     * Clients whose override configuration is adjusted by {@code override} — the seam tests use to
     * add an {@code ExecutionInterceptor} (fault injection) to every client.
     */
    public AwsClients(Customizer override) {
        this.override = override;
        this.dynamo = memoize(() -> DynamoDbClient.builder().httpClient(http).credentialsProvider(credentials)
                .overrideConfiguration(o -> this.override.apply(DynamoDbClient.SERVICE_NAME, o)).build());
        this.secrets = memoize(() -> SecretsManagerClient.builder().httpClient(http).credentialsProvider(credentials)
                .overrideConfiguration(o -> this.override.apply(SecretsManagerClient.SERVICE_NAME, o)).build());
        this.kms = memoize(() -> KmsClient.builder().httpClient(http).credentialsProvider(credentials)
                .overrideConfiguration(o -> this.override.apply(KmsClient.SERVICE_NAME, o)).build());
        this.events = memoize(() -> EventBridgeClient.builder().httpClient(http).credentialsProvider(credentials)
                .overrideConfiguration(o -> this.override.apply(EventBridgeClient.SERVICE_NAME, o)).build());
    }

    /** Adjusts the override configuration of one service's client (named by the client's {@code SERVICE_NAME}). */
    @FunctionalInterface
    public interface Customizer {
        void apply(String serviceName, ClientOverrideConfiguration.Builder config);
    }

    public DynamoDbClient dynamo() {
        return dynamo.get();
    }

    public SecretsManagerClient secrets() {
        return secrets.get();
    }

    public KmsClient kms() {
        return kms.get();
    }

    public EventBridgeClient events() {
        return events.get();
    }

    /** A supplier that builds its value on first use, once, thread-safely. */
    static <T> Supplier<T> memoize(Supplier<T> factory) {
        return new Supplier<>() {
            private volatile T value;

            @Override
            public T get() {
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
        };
    }
}
