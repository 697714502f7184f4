package app.connections.faults;

import static app.connections.platform.aws.Items.s;
import static app.connections.testing.FaultInjector.AwsError.CONDITION_FAILED;
import static app.connections.testing.FaultInjector.AwsError.KEY_UNUSABLE;
import static app.connections.testing.FaultInjector.AwsError.SERVER_ERROR;
import static app.connections.testing.FaultInjector.AwsError.THROTTLED;
import static app.connections.testing.FaultInjector.Service.DYNAMODB;
import static app.connections.testing.FaultInjector.Service.KMS;
import static app.connections.testing.FaultInjector.Service.SECRETS_MANAGER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import app.connections.TestStack;
import app.connections.local.aws.LocalAws;
import app.connections.local.aws.LocalAwsExtension;
import app.connections.platform.Config;
import app.connections.platform.aws.AwsClients;
import app.connections.testing.FaultInjector;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ProvisionedThroughputExceededException;
import software.amazon.awssdk.services.kms.model.KmsInvalidStateException;

/** The injector itself: faults go through the SDK's real retry loop and reach the caller only past it. */
@ExtendWith(LocalAwsExtension.class)
class FaultInjectorTest {
    private final FaultInjector faults = new FaultInjector();
    private AwsClients aws;
    private Config config;

    @BeforeEach
    void setUp(LocalAws local) {
        config = TestStack.config(local);
        aws = new AwsClients(faults.install());
    }

    private Map<String, software.amazon.awssdk.services.dynamodb.model.AttributeValue> key(String id) {
        return Map.of("pk", s("FAULTTEST#" + id), "sk", s("ITEM"));
    }

    @Test
    void theInjectorKeepsTheAttemptsTheSdkAllowsEachServiceByDefault() {
        var http = software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient.create();
        assertThat(software.amazon.awssdk.services.dynamodb.DynamoDbClient.builder().httpClient(http).build()
                .serviceClientConfiguration().overrideConfiguration().retryStrategy().orElseThrow().maxAttempts())
                .isEqualTo(FaultInjector.SDK_ATTEMPTS.get(DYNAMODB));
        assertThat(software.amazon.awssdk.services.secretsmanager.SecretsManagerClient.builder().httpClient(http).build()
                .serviceClientConfiguration().overrideConfiguration().retryStrategy().orElseThrow().maxAttempts())
                .isEqualTo(FaultInjector.SDK_ATTEMPTS.get(SECRETS_MANAGER));
        assertThat(software.amazon.awssdk.services.kms.KmsClient.builder().httpClient(http).build()
                .serviceClientConfiguration().overrideConfiguration().retryStrategy().orElseThrow().maxAttempts())
                .isEqualTo(FaultInjector.SDK_ATTEMPTS.get(KMS));
    }

    @Test
    void throttlesWithinTheSdkRetryBudgetAreAbsorbedAndNeverReachTheCaller() {
        String id = UUID.randomUUID().toString();
        faults.on(DYNAMODB, "GetItem").fail(THROTTLED, FaultInjector.SDK_ATTEMPTS.get(DYNAMODB) - 1);

        aws.dynamo().getItem(b -> b.tableName(config.tableName()).key(key(id)));

        assertThat(faults.attempts(DYNAMODB, "GetItem")).isEqualTo(9);
        assertThat(faults.allFired()).isTrue();
    }

    @Test
    void oneThrottleMoreThanTheSdkRetriesReachesTheCallerAsTheServicesOwnException() {
        String id = UUID.randomUUID().toString();
        faults.on(DYNAMODB, "GetItem").fail(THROTTLED, 9);
        faults.on(SECRETS_MANAGER, "GetSecretValue").fail(THROTTLED, 4);

        assertThatThrownBy(() -> aws.dynamo().getItem(b -> b.tableName(config.tableName()).key(key(id))))
                .isInstanceOf(ProvisionedThroughputExceededException.class)
                .satisfies(e -> assertThat(((AwsServiceException) e).isThrottlingException()).isTrue());
        assertThatThrownBy(() -> aws.secrets().getSecretValue(b -> b.secretId("anything")))
                .isInstanceOf(AwsServiceException.class)
                .satisfies(e -> assertThat(((AwsServiceException) e).awsErrorDetails().errorCode()).isEqualTo("ThrottlingException"));
        assertThat(faults.attempts(DYNAMODB, "GetItem")).isEqualTo(9);
        assertThat(faults.attempts(SECRETS_MANAGER, "GetSecretValue")).isEqualTo(4);
    }

    @Test
    void aConditionFailureIsNotRetriedByTheSdk() {
        faults.on(DYNAMODB, "GetItem").fail(CONDITION_FAILED, 1);
        faults.on(KMS, "Decrypt").fail(KEY_UNUSABLE, 1);

        assertThatThrownBy(() -> aws.dynamo().getItem(b -> b.tableName(config.tableName()).key(key("x"))))
                .isInstanceOf(ConditionalCheckFailedException.class);
        assertThatThrownBy(() -> aws.kms().decrypt(b -> b.ciphertextBlob(software.amazon.awssdk.core.SdkBytes.fromUtf8String("x"))))
                .isInstanceOf(KmsInvalidStateException.class);
        assertThat(faults.attempts(DYNAMODB, "GetItem")).isEqualTo(1);
    }

    @Test
    void aWriteWhoseAnswerIsLostWasAppliedAndItsRetryMeetsItsOwnCondition() {
        String id = UUID.randomUUID().toString();
        faults.on(DYNAMODB, "PutItem").afterTheCallSucceeded().fail(SERVER_ERROR, 1);

        assertThatThrownBy(() -> aws.dynamo().putItem(b -> b.tableName(config.tableName())
                .item(Map.of("pk", s("FAULTTEST#" + id), "sk", s("ITEM"), "type", s("faulttest")))
                .conditionExpression("attribute_not_exists(pk)")))
                .as("the SDK retried the 500; the retry found the item its first attempt wrote")
                .isInstanceOf(ConditionalCheckFailedException.class);
        assertThat(aws.dynamo().getItem(b -> b.tableName(config.tableName()).key(key(id)).consistentRead(true)).hasItem()).isTrue();
        assertThat(faults.attempts(DYNAMODB, "PutItem")).isEqualTo(2);
    }

    @Test
    void aCrashedThreadReachesAwsNoMoreWhileOtherThreadsCarryOn() throws Exception {
        faults.on(DYNAMODB, "GetItem").crash();

        assertThatThrownBy(() -> aws.dynamo().getItem(b -> b.tableName(config.tableName()).key(key("a"))))
                .isInstanceOf(FaultInjector.ProcessCrashed.class);
        assertThatThrownBy(() -> aws.dynamo().deleteItem(b -> b.tableName(config.tableName()).key(key("a"))))
                .isInstanceOf(FaultInjector.ProcessCrashed.class);
        try (var other = Executors.newSingleThreadExecutor()) {
            assertThat(other.submit(() -> aws.dynamo().getItem(b -> b.tableName(config.tableName()).key(key("a")))).get().hasItem())
                    .isFalse();
        }
        assertThat(faults.attempts(DYNAMODB, "DeleteItem")).as("nothing after the crash went out").isZero();
    }
}
