package app.connections.faults;

import static app.connections.testing.FaultInjector.AwsError.CIPHERTEXT_REFUSED;
import static app.connections.testing.FaultInjector.AwsError.KEY_UNUSABLE;
import static app.connections.testing.FaultInjector.AwsError.THROTTLED;
import static app.connections.testing.FaultInjector.Service.DYNAMODB;
import static app.connections.testing.FaultInjector.Service.KMS;
import static app.connections.testing.FaultInjector.Service.SECRETS_MANAGER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import app.connections.connection.Connection;
import app.connections.connection.ConnectionStatus;
import app.connections.local.aws.LocalAws;
import app.connections.local.aws.LocalAwsExtension;
import app.connections.local.aws.TokenEndpointStandIn.Failure;
import app.connections.resolve.ResolveRequest;
import app.connections.resolve.ResolveResult;
import app.connections.resolve.Resolver;
import app.connections.testing.FaultInjector;
import app.connections.testing.OAuthWorld;
import app.connections.vault.VaultException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.ProvisionedThroughputExceededException;
import software.amazon.awssdk.services.kms.model.DecryptRequest;
import software.amazon.awssdk.services.secretsmanager.model.GetSecretValueRequest;

/**
 * What the workflow runtime sees when our own storage fails during a resolve, or the token endpoint
 * fails during the refresh a resolve triggers. A failure of ours is a failure (an exception: the
 * Lambda invocation errors and the runtime retries the step), never {@code denied}, and it changes
 * no connection; a token that is still valid is handed out whatever happens to its refresh.
 */
@ExtendWith(LocalAwsExtension.class)
class FaultsDuringResolveTest {
    private final FaultInjector faults = new FaultInjector();
    private OAuthWorld world;
    private Resolver resolver;

    @BeforeEach
    void setUp(LocalAws local) throws Exception {
        world = new OAuthWorld(local, "ResolverFunction", Map.of("PROVIDER_TIMEOUT_MS", "2000"), faults.install());
        resolver = world.services.resolver();
    }

    @AfterEach
    void tearDown() {
        faults.reset();
        world.close();
    }

    private ResolveResult resolve(Connection c, String runId) {
        return resolver.resolve(new ResolveRequest(c.id(), world.account, world.workspace, runId, "step-1", Optional.empty()));
    }

    private static java.util.function.Predicate<SdkRequest> dataKeyOf(Connection c) {
        return r -> r instanceof DecryptRequest d && FaultsDuringRefreshTest.sealedFor(c, d.encryptionContext());
    }

    private static java.util.function.Predicate<SdkRequest> leaseOf(Connection c) {
        return r -> r instanceof PutItemRequest p && ("CONNECTION#" + c.id()).equals(p.item().get("pk").s())
                && "LEASE".equals(p.item().get("sk").s());
    }

    private List<Map<String, AttributeValue>> items(Connection c, String prefix) {
        return world.local.clients().dynamo().query(b -> b.tableName(world.config.tableName()).consistentRead(true)
                .keyConditionExpression("pk = :pk AND begins_with(sk, :prefix)")
                .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS("CONNECTION#" + c.id()),
                        ":prefix", AttributeValue.fromS(prefix)))).items();
    }

    private static String accessToken(ResolveResult result) {
        assertThat(result).as(result.toString()).isInstanceOf(ResolveResult.Ok.class);
        return (String) ((ResolveResult.Ok) result).credential().get("accessToken");
    }

    // --- KMS and Secrets Manager ------------------------------------------------------------------

    @Test
    void kmsThrottlingPastTheSdkRetriesIsARetryableFailureNotADenialAndChangesNothing() {
        Connection c = world.apiKeyConnection("fd-kms-throttled", Map.of("subdomain", "acme"));
        faults.on(KMS, "Decrypt").where(dataKeyOf(c)).fail(THROTTLED, FaultInjector.SDK_ATTEMPTS.get(KMS));

        assertThatThrownBy(() -> resolve(c, "run-kms-throttled"))
                .isInstanceOfSatisfying(VaultException.class, e -> assertThat(e.retryable()).isTrue())
                .hasMessageContaining("temporarily unavailable")
                .hasMessageNotContaining("fd-kms-throttled");

        assertThat(world.reload(c)).isEqualTo(c);
        assertThat(items(c, "PARKED#")).isEmpty();
        assertThat(items(c, "AUDIT#")).singleElement()
                .satisfies(audit -> assertThat(audit.get("outcome").s()).isEqualTo("failed:vault_unavailable"));
        assertThat(((ResolveResult.Ok) resolve(c, "run-after")).credential()).containsEntry("apiKey", "fd-kms-throttled");
    }

    @Test
    void aKmsKeyThatIsDisabledOrACiphertextKmsRefusesIsDeniedAsUnreadableAndChangesNothing() {
        Connection c = world.apiKeyConnection("fd-kms-refused", Map.of("subdomain", "acme"));
        faults.on(KMS, "Decrypt").where(dataKeyOf(c)).fail(KEY_UNUSABLE, 1);
        faults.on(KMS, "Decrypt").where(dataKeyOf(c)).fail(CIPHERTEXT_REFUSED, 1);

        // a retry cannot open it: the run is told so, with a reason, instead of failing again and again
        assertThat(resolve(c, "run-key-disabled").toMap()).containsEntry("status", "denied")
                .containsEntry("reason", "credential_unreadable");
        assertThat(resolve(c, "run-ciphertext-refused").toMap()).containsEntry("reason", "credential_unreadable");

        assertThat(faults.attempts(KMS, "Decrypt")).as("neither is retried by the SDK").isEqualTo(2);
        assertThat(world.reload(c)).as("still ACTIVE: it is our key, not the user's credential").isEqualTo(c);
        assertThat(items(c, "PARKED#")).isEmpty();
        assertThat(items(c, "AUDIT#")).hasSize(2)
                .allSatisfy(audit -> assertThat(audit.get("outcome").s()).isEqualTo("denied:credential_unreadable"));
        assertThat(((ResolveResult.Ok) resolve(c, "run-key-enabled-again")).credential())
                .as("once the key works again").containsEntry("apiKey", "fd-kms-refused");
    }

    @Test
    void secretsManagerThrottlingWithinTheSdkRetriesIsInvisibleToTheRuntime() {
        Connection c = world.apiKeyConnection("fd-sm-throttled", Map.of("subdomain", "acme"));
        faults.on(SECRETS_MANAGER, "GetSecretValue").where(r -> r instanceof GetSecretValueRequest g
                && g.secretId().equals(c.secretRef().orElseThrow().id())).fail(THROTTLED, FaultInjector.SDK_ATTEMPTS.get(SECRETS_MANAGER) - 1);

        assertThat(((ResolveResult.Ok) resolve(c, "run-sm")).credential()).containsEntry("apiKey", "fd-sm-throttled");
        assertThat(faults.allFired()).isTrue();
    }

    // --- DynamoDB during the refresh a resolve triggers ---------------------------------------------

    @Test
    void dynamoDbThrottlingTheLeaseWhileTheTokenIsStillValidHandsOutTheCurrentToken() {
        Connection c = world.oauthConnection("acct-lease-throttled", Duration.ofMinutes(5));
        String current = world.tokens(c).get("accessToken");
        faults.on(DYNAMODB, "PutItem").where(leaseOf(c)).fail(THROTTLED, FaultInjector.SDK_ATTEMPTS.get(DYNAMODB));

        ResolveResult result = resolve(c, "run-valid");

        assertThat(faults.allFired()).isTrue();
        assertThat(accessToken(result)).isEqualTo(current);
        assertThat(world.reload(c)).isEqualTo(c);
        assertThat(world.provider.tokenCalls()).isZero();
        assertThat(accessToken(resolve(c, "run-next"))).as("refreshed by the next resolve").isNotEqualTo(current);
    }

    @Test
    void dynamoDbThrottlingTheLeaseOnceTheTokenHasExpiredIsAFailureNotADenial() {
        Connection c = world.oauthConnection("acct-lease-expired", Duration.ofMinutes(1));
        world.clock.advance(Duration.ofMinutes(2));
        faults.on(DYNAMODB, "PutItem").where(leaseOf(c)).fail(THROTTLED, FaultInjector.SDK_ATTEMPTS.get(DYNAMODB));

        assertThatThrownBy(() -> resolve(c, "run-expired")).isInstanceOf(ProvisionedThroughputExceededException.class);

        assertThat(world.reload(c)).isEqualTo(c);
        assertThat(items(c, "PARKED#")).isEmpty();
        assertThat(items(c, "AUDIT#")).singleElement()
                .satisfies(audit -> assertThat(audit.get("outcome").s()).isEqualTo("failed:internal_error"));
    }

    @Test
    void aConnectionRevokedWhileTheRefreshItsResolveTriggeredRanIsDeniedNotHandedOut() {
        Connection c = world.oauthConnection("acct-revoked-meanwhile", Duration.ofMinutes(5));
        faults.on(SECRETS_MANAGER, "PutSecretValue").where(r -> r instanceof software.amazon.awssdk.services.secretsmanager.model.PutSecretValueRequest p
                && p.secretId().equals(c.secretRef().orElseThrow().id())).runFirst(() ->
                world.store.update(world.reload(c).revoked("test", world.clock.instant())));

        ResolveResult result = resolve(c, "run-revoked-meanwhile");

        assertThat(faults.allFired()).isTrue();
        assertThat(result).isEqualTo(new ResolveResult.Denied("revoked"));
        assertThat(world.reload(c).status()).as("the revoke stands").isEqualTo(ConnectionStatus.REVOKED);
    }

    // --- the token endpoint during the refresh a resolve triggers ------------------------------------

    @Test
    void aTokenEndpoint5xxWhileTheTokenIsStillValidHandsOutTheCurrentTokenAndBacksOff() {
        Connection c = world.oauthConnection("acct-provider-503", Duration.ofMinutes(5));
        String current = world.tokens(c).get("accessToken");
        world.provider.failNext(new Failure(503, "{\"error\":\"temporarily_unavailable\"}", null, false));

        ResolveResult result = resolve(c, "run-503");

        assertThat(accessToken(result)).isEqualTo(current);
        Connection after = world.reload(c);
        assertThat(after.status()).isEqualTo(ConnectionStatus.ACTIVE);
        assertThat(after.tokenSchedule().orElseThrow().failedAttempts()).isEqualTo(1);
        assertThat(after.tokenSchedule().orElseThrow().retryAt()).isPresent();
        assertThat(accessToken(resolve(c, "run-503-again"))).as("no second token call while backing off").isEqualTo(current);
        assertThat(world.provider.tokenCalls()).isEqualTo(1);
    }

    @Test
    void aTokenEndpoint429OnceTheTokenHasExpiredMakesTheRunWaitWithoutAnErrorOrADenial() {
        Connection c = world.oauthConnection("acct-provider-429", Duration.ofMinutes(1));
        world.clock.advance(Duration.ofMinutes(2));
        world.provider.failNext(new Failure(429, "{\"error\":\"slow_down\"}", "120", false));

        ResolveResult result = resolve(c, "run-429");

        assertThat(result).isEqualTo(new ResolveResult.Waiting("refresh_pending"));
        Connection after = world.reload(c);
        assertThat(after.status()).isEqualTo(ConnectionStatus.ACTIVE);
        assertThat(after.tokenSchedule().orElseThrow().retryAt().orElseThrow())
                .as("Retry-After honoured").isAfterOrEqualTo(world.clock.instant().plus(Duration.ofSeconds(120)));
        assertThat(items(c, "PARKED#")).as("not parked: no reauthorization is needed").isEmpty();
    }
}
