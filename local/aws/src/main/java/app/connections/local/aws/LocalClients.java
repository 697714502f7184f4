package app.connections.local.aws;

import java.net.URI;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cognitoidentityprovider.CognitoIdentityProviderClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/** SDK clients pointed at the local emulator, for the bootstrap and test set-up. */
public final class LocalClients {
    private final URI endpoint;
    private final Region region;
    private final StaticCredentialsProvider credentials;
    private final SdkHttpClient http = UrlConnectionHttpClient.create();

    public LocalClients(String endpoint, String region, String accessKeyId, String secretAccessKey) {
        this.endpoint = URI.create(endpoint);
        this.region = Region.of(region);
        this.credentials = StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKeyId, secretAccessKey));
    }

    public DynamoDbClient dynamo() {
        return DynamoDbClient.builder().endpointOverride(endpoint).region(region).credentialsProvider(credentials).httpClient(http).build();
    }

    public software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient streams() {
        return software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient.builder().endpointOverride(endpoint).region(region)
                .credentialsProvider(credentials).httpClient(http).build();
    }

    public KmsClient kms() {
        return KmsClient.builder().endpointOverride(endpoint).region(region).credentialsProvider(credentials).httpClient(http).build();
    }

    public EventBridgeClient events() {
        return EventBridgeClient.builder().endpointOverride(endpoint).region(region).credentialsProvider(credentials).httpClient(http).build();
    }

    public SecretsManagerClient secrets() {
        return SecretsManagerClient.builder().endpointOverride(endpoint).region(region).credentialsProvider(credentials).httpClient(http).build();
    }

    public software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient logs() {
        return software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient.builder().endpointOverride(endpoint).region(region)
                .credentialsProvider(credentials).httpClient(http).build();
    }

    public SqsClient sqs() {
        return SqsClient.builder().endpointOverride(endpoint).region(region).credentialsProvider(credentials).httpClient(http).build();
    }

    public CognitoIdentityProviderClient cognito() {
        return CognitoIdentityProviderClient.builder().endpointOverride(endpoint).region(region).credentialsProvider(credentials).httpClient(http).build();
    }
}
