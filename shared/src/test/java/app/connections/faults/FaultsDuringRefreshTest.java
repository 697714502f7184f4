package app.connections.faults;

import static app.connections.testing.FaultInjector.AwsError.KEY_UNUSABLE;
import static app.connections.testing.FaultInjector.AwsError.SERVER_ERROR;
import static app.connections.testing.FaultInjector.AwsError.THROTTLED;
import static app.connections.testing.FaultInjector.Service.DYNAMODB;
import static app.connections.testing.FaultInjector.Service.KMS;
import static app.connections.testing.FaultInjector.Service.SECRETS_MANAGER;
import static org.assertj.core.api.Assertions.assertThat;

import app.connections.connection.Connection;
import app.connections.connection.ConnectionStatus;
import app.connections.local.aws.BusTap;
import app.connections.local.aws.LocalAws;
import app.connections.local.aws.LocalAwsExtension;
import app.connections.platform.Json;
import app.connections.refresh.RefreshOutcome;
import app.connections.refresh.RefreshReason;
import app.connections.refresh.RefreshRun;
import app.connections.refresh.TokenRefresher;
import app.connections.testing.EventSchemas;
import app.connections.testing.FaultInjector;
import app.connections.testing.OAuthWorld;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.kms.model.DecryptRequest;
import software.amazon.awssdk.services.kms.model.GenerateDataKeyRequest;
import software.amazon.awssdk.services.secretsmanager.model.GetSecretValueRequest;
import software.amazon.awssdk.services.secretsmanager.model.PutSecretValueRequest;

/**
 * Faults of our own storage (DynamoDB, Secrets Manager, KMS) and crashes while the refresher works,
 * injected into the real AWS calls (moto) through the SDK. Each test names the fault and asserts the
 * outcome documented in docs/reliability.md: no silent loss, no duplicate connection, no lease held
 * past its expiry. Token-endpoint failures (5xx, 429, timeouts, invalid_grant) are covered by the
 * refresher function's tests.
 */
@ExtendWith(LocalAwsExtension.class)
class FaultsDuringRefreshTest {
    private final FaultInjector faults = new FaultInjector();
    private OAuthWorld world;
    private RefreshRun run;
    private TokenRefresher refresher;
    private BusTap bus;

    @BeforeEach
    void setUp(LocalAws local) throws Exception {
        world = new OAuthWorld(local, "RefresherFunction", Map.of("PROVIDER_TIMEOUT_MS", "2000"), faults.install());
        run = world.services.refreshRun();
        refresher = world.services.tokenRefresher();
        bus = BusTap.on(local.stack(), "{\"source\":[\"app.connections\"],\"detail\":{\"accountId\":[\"" + world.account + "\"]}}");
    }

    @AfterEach
    void tearDown() {
        faults.reset();
        world.close();
    }

    private RefreshRun.Summary runRefresher() throws InterruptedException {
        return run.run(() -> Duration.ofMinutes(5), Duration.ofSeconds(20));
    }

    /** The lease item of {@code c} (taken with PutItem, released with DeleteItem). */
    private static Predicate lease(Connection c) {
        return r -> dynamoKey(r).equals("CONNECTION#" + c.id() + "/LEASE");
    }

    /** The record of {@code c} (read with GetItem, written with PutItem). */
    private static Predicate record(Connection c) {
        return r -> dynamoKey(r).equals("CONNECTION#" + c.id() + "/CONNECTION");
    }

    /** The secret of {@code c} in Secrets Manager, or its data key in KMS (by encryption context). */
    private static Predicate secretOf(Connection c) {
        return r -> switch (r) {
            case PutSecretValueRequest p -> p.secretId().equals(c.secretRef().orElseThrow().id());
            case GetSecretValueRequest g -> g.secretId().equals(c.secretRef().orElseThrow().id());
            case DecryptRequest d -> sealedFor(c, d.encryptionContext());
            case GenerateDataKeyRequest g -> sealedFor(c, g.encryptionContext());
            default -> false;
        };
    }

    /**
     * A KMS request for this connection's data key: named in the encryption context (sealing format 1),
     * or its account's (format 2: an account's data key; each test's world is an account of its own).
     */
    static boolean sealedFor(Connection c, Map<String, String> context) {
        return context.containsKey("connectionId") ? c.id().equals(context.get("connectionId"))
                : c.accountId().equals(context.get("accountId"));
    }

    private static String dynamoKey(SdkRequest r) {
        Map<String, AttributeValue> key = switch (r) {
            case PutItemRequest p -> p.item();
            case GetItemRequest g -> g.key();
            case DeleteItemRequest d -> d.key();
            default -> Map.of();
        };
        return key.containsKey("pk") ? key.get("pk").s() + "/" + key.get("sk").s() : "";
    }

    private interface Predicate extends java.util.function.Predicate<SdkRequest> {
    }

    private List<String> reauthorizationEvents() {
        return EventSchemas.valid(bus.drain()).stream().filter(e -> {
            try {
                return Json.MAPPER.readTree(e).path("detail-type").asText().equals("Connection Reauthorization Required");
            } catch (IOException ex) {
                throw new IllegalStateException(ex);
            }
        }).toList();
    }

    private boolean leaseHeld(Connection c) {
        var item = world.local.clients().dynamo().getItem(b -> b.tableName(world.config.tableName()).consistentRead(true)
                .key(Map.of("pk", app.connections.platform.aws.Items.s("CONNECTION#" + c.id()),
                        "sk", app.connections.platform.aws.Items.s("LEASE"))));
        return item.hasItem() && !item.item().isEmpty();
    }

    /** ACTIVE with a token good for most of an hour. */
    private boolean refreshed(Connection c) {
        Connection now = world.reload(c);
        return now.status() == ConnectionStatus.ACTIVE
                && now.tokenSchedule().orElseThrow().expiresAt().orElseThrow().isAfter(world.clock.instant().plus(Duration.ofMinutes(50)));
    }

    private long connectionsOf(String externalAccount) {
        return world.store.authorizedBy(world.account, world.workspace, "admin-1").stream()
                .filter(c -> c.externalIdentity().orElse("").equals(externalAccount)).count();
    }

    // --- DynamoDB ---------------------------------------------------------------------------------

    @Test
    void dynamoDbThrottlingTheLeasePastTheSdkRetriesLeavesTheConnectionAsItWasAndTheNextRunRefreshesIt() throws Exception {
        Connection c = world.oauthConnection("acct-lease-throttled", Duration.ofMinutes(5));
        faults.on(DYNAMODB, "PutItem").where(lease(c)).fail(THROTTLED, FaultInjector.SDK_ATTEMPTS.get(DYNAMODB));

        RefreshRun.Summary first = runRefresher();

        assertThat(first.failed()).isGreaterThanOrEqualTo(1);
        assertThat(world.provider.tokenCalls()).as("no lease, no token call").isZero();
        assertThat(world.reload(c)).isEqualTo(c);
        assertThat(leaseHeld(c)).isFalse();

        runRefresher();

        assertThat(refreshed(c)).isTrue();
        assertThat(world.provider.isValid(world.tokens(c).get("refreshToken"))).isTrue();
    }

    @Test
    void dynamoDbThrottlingThePendingRevocationsDoesNotKeepTheRunFromRefreshing() throws Exception {
        Connection c = world.oauthConnection("acct-revocations-throttled", Duration.ofMinutes(5));
        faults.on(DYNAMODB, "Query").where(r -> r instanceof QueryRequest q
                        && q.expressionAttributeValues().getOrDefault(":pk", AttributeValue.fromS("")).s().startsWith("REVOCATIONS#"))
                .fail(THROTTLED, FaultInjector.SDK_ATTEMPTS.get(DYNAMODB));

        runRefresher();

        assertThat(faults.allFired()).isTrue();
        assertThat(refreshed(c)).isTrue();
    }

    @Test
    void aLeaseWriteWhoseAnswerWasLostIsStillOursSoTheRefreshGoesAhead() throws Exception {
        Connection c = world.oauthConnection("acct-lease-lost-answer", Duration.ofMinutes(5));
        faults.on(DYNAMODB, "PutItem").where(lease(c)).afterTheCallSucceeded().fail(SERVER_ERROR, 1);

        RefreshOutcome outcome = refresher.refresh(c.id(), RefreshReason.SCHEDULE);

        assertThat(faults.allFired()).isTrue();
        assertThat(outcome).isInstanceOf(RefreshOutcome.Refreshed.class);
        assertThat(leaseHeld(c)).as("released, not left to expire").isFalse();
    }

    @Test
    void dynamoDbThrottlingTheRecordPastTheSdkRetriesAfterTheVaultWriteKeepsTheNewTokensForTheNextRun() throws Exception {
        Connection c = world.oauthConnection("acct-record-throttled", Duration.ofMinutes(5));
        String original = world.tokens(c).get("refreshToken");
        faults.on(DYNAMODB, "PutItem").where(record(c)).fail(THROTTLED, FaultInjector.SDK_ATTEMPTS.get(DYNAMODB));

        runRefresher();

        String stored = world.tokens(c).get("refreshToken");
        assertThat(stored).as("the rotated refresh token is in the vault").isNotEqualTo(original);
        assertThat(world.provider.isValid(stored)).isTrue();
        assertThat(world.reload(c).version()).as("the record did not move").isEqualTo(c.version());
        assertThat(leaseHeld(c)).isFalse();

        runRefresher();

        assertThat(refreshed(c)).as("due still, refreshed with the stored token").isTrue();
        assertThat(world.provider.isValid(world.tokens(c).get("refreshToken"))).isTrue();
        assertThat(reauthorizationEvents()).isEmpty();
    }

    @Test
    void aRenameThatRacesTheRefreshIsKeptAndTheRefreshIsNotRepeated() throws Exception {
        Connection c = world.oauthConnection("acct-renamed", Duration.ofMinutes(5));
        faults.on(SECRETS_MANAGER, "PutSecretValue").where(secretOf(c)).runFirst(() ->
                world.store.update(world.reload(c).withLabel("Renamed meanwhile", world.clock.instant())));

        RefreshOutcome outcome = refresher.refresh(c.id(), RefreshReason.SCHEDULE);

        assertThat(faults.allFired()).isTrue();
        assertThat(outcome).isInstanceOf(RefreshOutcome.Refreshed.class);
        assertThat(world.reload(c).label()).isEqualTo("Renamed meanwhile");
        assertThat(refreshed(c)).isTrue();
        runRefresher();
        assertThat(world.provider.refreshCalls()).as("not refreshed again").isEqualTo(1);
    }

    @Test
    void aRecordWriteWhoseAnswerWasLostIsRecognisedAsOurOwnNotAsAConflict() throws Exception {
        Connection c = world.oauthConnection("acct-record-lost-answer", Duration.ofMinutes(5));
        faults.on(DYNAMODB, "PutItem").where(record(c)).afterTheCallSucceeded().fail(SERVER_ERROR, 1);

        RefreshOutcome outcome = refresher.refresh(c.id(), RefreshReason.SCHEDULE);

        assertThat(faults.allFired()).isTrue();
        assertThat(outcome).isInstanceOf(RefreshOutcome.Refreshed.class);
        assertThat(world.reload(c).version()).isEqualTo(c.version() + 1);
        assertThat(world.provider.refreshCalls()).isEqualTo(1);
    }

    @Test
    void anErrorWriteWhoseAnswerWasLostStillRaisesExactlyOneAlert() throws Exception {
        Connection c = world.oauthConnection("acct-revoked-lost-answer", Duration.ofMinutes(5));
        world.provider.revokeGrantsOf("acct-revoked-lost-answer");
        faults.on(DYNAMODB, "PutItem").where(record(c)).afterTheCallSucceeded().fail(SERVER_ERROR, 1);

        RefreshOutcome outcome = refresher.refresh(c.id(), RefreshReason.SCHEDULE);
        runRefresher();

        assertThat(outcome).isInstanceOf(RefreshOutcome.Failed.class);
        assertThat(world.reload(c).status()).isEqualTo(ConnectionStatus.ERROR);
        assertThat(reauthorizationEvents()).hasSize(1);
    }

    @Test
    void aRefreshWhoseLeaseRanOutWhileDynamoDbWasThrottlingSpendsNoRefreshToken() throws Exception {
        Connection c = world.oauthConnection("acct-slow-store", Duration.ofMinutes(5));
        // the SDK absorbs 8 throttles on reading the record, but in production its backoff (up to 20 s each) outlasts the lease
        faults.on(DYNAMODB, "GetItem").where(record(c)).onEachFault(() -> world.clock.advance(Duration.ofSeconds(10)))
                .fail(THROTTLED, FaultInjector.SDK_ATTEMPTS.get(DYNAMODB) - 1);

        RefreshOutcome outcome = refresher.refresh(c.id(), RefreshReason.SCHEDULE);

        assertThat(faults.allFired()).isTrue();
        assertThat(outcome).isInstanceOf(RefreshOutcome.Busy.class);
        assertThat(world.provider.tokenCalls()).as("no token call on an expired lease").isZero();
        assertThat(world.reload(c)).isEqualTo(c);
        assertThat(refresher.refresh(c.id(), RefreshReason.SCHEDULE)).isInstanceOf(RefreshOutcome.Refreshed.class);
    }

    // --- Secrets Manager and KMS -----------------------------------------------------------------

    @Test
    void secretsManagerThrottlingTheNewTokensPastTheSdkRetriesIsRetriedWithinTheLeaseAndNothingIsLost() throws Exception {
        Connection c = world.oauthConnection("acct-sm-throttled", Duration.ofMinutes(5));
        String original = world.tokens(c).get("refreshToken");
        faults.on(SECRETS_MANAGER, "PutSecretValue").where(secretOf(c)).fail(THROTTLED, FaultInjector.SDK_ATTEMPTS.get(SECRETS_MANAGER) + 2);

        RefreshOutcome outcome = refresher.refresh(c.id(), RefreshReason.SCHEDULE);

        assertThat(faults.allFired()).isTrue();
        assertThat(outcome).isInstanceOf(RefreshOutcome.Refreshed.class);
        assertThat(world.provider.isValid(original)).as("rotated at the provider").isFalse();
        assertThat(world.provider.isValid(world.tokens(c).get("refreshToken"))).as("and the new one stored").isTrue();
    }

    @Test
    void kmsThrottlingWhileSealingTheNewTokensIsRetriedWithinTheLeaseAndNothingIsLost() throws Exception {
        Connection c = world.oauthConnection("acct-kms-seal-throttled", Duration.ofMinutes(5));
        faults.on(KMS, "GenerateDataKey").where(secretOf(c)).fail(THROTTLED, FaultInjector.SDK_ATTEMPTS.get(KMS) + 1);

        RefreshOutcome outcome = refresher.refresh(c.id(), RefreshReason.SCHEDULE);

        assertThat(faults.allFired()).isTrue();
        assertThat(outcome).isInstanceOf(RefreshOutcome.Refreshed.class);
        assertThat(world.provider.isValid(world.tokens(c).get("refreshToken"))).isTrue();
    }

    @Test
    void secretsManagerDownForTheWholeLeaseLosesTheRotatedTokenLoudlyNeverSilently() throws Exception {
        Connection c = world.oauthConnection("acct-sm-down", Duration.ofMinutes(5));
        faults.on(SECRETS_MANAGER, "PutSecretValue").where(secretOf(c)).fail(THROTTLED, 1_000);

        RefreshOutcome outcome = refresher.refresh(c.id(), RefreshReason.SCHEDULE);

        assertThat(outcome).isInstanceOfSatisfying(RefreshOutcome.Failed.class,
                f -> assertThat(f.reason()).isEqualTo("secret_write_failed"));
        Connection after = world.reload(c);
        assertThat(after.status()).as("the stored tokens may still work (a provider with a grace period)")
                .isEqualTo(ConnectionStatus.ACTIVE);
        assertThat(after.tokenSchedule().orElseThrow().retryAt()).as("backing off").isPresent();
        assertThat(after.tokenSchedule().orElseThrow().failedAttempts()).isEqualTo(1);

        faults.reset();
        world.clock.advance(Duration.ofMinutes(1));
        runRefresher();

        assertThat(world.reload(c).status()).as("this provider rotated: the old token is refused").isEqualTo(ConnectionStatus.ERROR);
        assertThat(world.reload(c).statusReason()).contains("invalid_grant");
        assertThat(reauthorizationEvents()).hasSize(1);
        assertThat(connectionsOf("acct-sm-down")).isEqualTo(1);
    }

    @Test
    void kmsRefusingToDecryptTheStoredTokensSpendsNothingAndLeavesTheConnectionActive() throws Exception {
        Connection c = world.oauthConnection("acct-kms-decrypt", Duration.ofMinutes(5));
        faults.on(KMS, "Decrypt").where(secretOf(c)).fail(THROTTLED, FaultInjector.SDK_ATTEMPTS.get(KMS));
        faults.on(KMS, "Decrypt").where(secretOf(c)).fail(KEY_UNUSABLE, 1);

        RefreshRun.Summary throttled = runRefresher();
        RefreshRun.Summary keyUnusable = runRefresher();

        assertThat(faults.allFired()).isTrue();
        assertThat(throttled.failed()).isGreaterThanOrEqualTo(1);
        assertThat(keyUnusable.failed()).isGreaterThanOrEqualTo(1);
        assertThat(world.provider.tokenCalls()).isZero();
        assertThat(world.reload(c)).as("not the user's fault: no ERROR, no backoff").isEqualTo(c);
        assertThat(leaseHeld(c)).isFalse();
        runRefresher();
        assertThat(refreshed(c)).isTrue();
        assertThat(reauthorizationEvents()).isEmpty();
    }

    // --- crashes ---------------------------------------------------------------------------------

    @Test
    void aCrashAfterTheProviderAnsweredAndBeforeTheVaultWriteEndsInErrorWithOneAlertOnceTheLeaseExpires() throws Exception {
        Connection c = world.oauthConnection("acct-crash-before-write", Duration.ofMinutes(5));
        String original = world.tokens(c).get("refreshToken");
        faults.on(SECRETS_MANAGER, "PutSecretValue").where(secretOf(c)).crash();

        runRefresher();

        assertThat(faults.allFired()).isTrue();
        assertThat(world.provider.isValid(original)).as("the provider rotated it").isFalse();
        assertThat(world.tokens(c).get("refreshToken")).as("the new one never reached the vault").isEqualTo(original);
        assertThat(leaseHeld(c)).as("a dead worker releases nothing").isTrue();

        world.clock.advance(Duration.ofSeconds(30));
        RefreshRun.Summary whileLeased = runRefresher();
        assertThat(whileLeased.busy()).as("the dead worker's lease still stands").isGreaterThanOrEqualTo(1);
        assertThat(world.provider.tokenCalls()).isEqualTo(1);

        world.clock.advance(Duration.ofSeconds(31));
        runRefresher();

        Connection after = world.reload(c);
        assertThat(after.status()).isEqualTo(ConnectionStatus.ERROR);
        assertThat(after.statusReason()).contains("invalid_grant");
        assertThat(reauthorizationEvents()).as("loud, once").hasSize(1);
        assertThat(leaseHeld(c)).isFalse();
        assertThat(connectionsOf("acct-crash-before-write")).as("no duplicate").isEqualTo(1);
    }

    @Test
    void aCrashAfterTheVaultWriteIsFinishedByTheNextRunWithTheStoredToken() throws Exception {
        Connection c = world.oauthConnection("acct-crash-after-write", Duration.ofMinutes(5));
        faults.on(SECRETS_MANAGER, "PutSecretValue").where(secretOf(c)).afterTheCallSucceeded().crash();

        runRefresher();

        String stored = world.tokens(c).get("refreshToken");
        assertThat(world.provider.isValid(stored)).isTrue();
        assertThat(world.reload(c).version()).as("the record was never written").isEqualTo(c.version());
        assertThat(leaseHeld(c)).isTrue();

        world.clock.advance(Duration.ofSeconds(61));
        runRefresher();

        assertThat(refreshed(c)).isTrue();
        assertThat(world.provider.isValid(world.tokens(c).get("refreshToken"))).isTrue();
        assertThat(reauthorizationEvents()).isEmpty();
        assertThat(leaseHeld(c)).isFalse();
        assertThat(connectionsOf("acct-crash-after-write")).isEqualTo(1);
    }

    @Test
    void aCrashAfterTheRecordWriteLeavesARefreshedConnectionAndALeaseThatOnlyExpires() throws Exception {
        Connection c = world.oauthConnection("acct-crash-after-record", Duration.ofMinutes(5));
        faults.on(DYNAMODB, "PutItem").where(record(c)).afterTheCallSucceeded().crash();

        runRefresher();

        Connection after = world.reload(c);
        assertThat(after.version()).isEqualTo(c.version() + 1);
        assertThat(after.tokenSchedule().orElseThrow().expiresAt().orElseThrow()).isAfter(world.clock.instant().plus(Duration.ofMinutes(50)));
        assertThat(leaseHeld(c)).isTrue();
        runRefresher();
        assertThat(world.provider.refreshCalls()).as("not due: nothing to do, the stale lease blocks nothing").isEqualTo(1);
    }
}
