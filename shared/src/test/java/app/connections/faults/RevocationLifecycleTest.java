package app.connections.faults;

import static app.connections.testing.FaultInjector.Service.DYNAMODB;
import static app.connections.testing.FaultInjector.Service.SECRETS_MANAGER;
import static org.assertj.core.api.Assertions.assertThat;

import app.connections.connection.Connection;
import app.connections.connection.ConnectionStatus;
import app.connections.connection.RevocationWork;
import app.connections.connection.lifecycle.Revocations;
import app.connections.connection.lifecycle.aws.DynamoPendingRevocations;
import app.connections.local.aws.BusTap;
import app.connections.local.aws.LocalAws;
import app.connections.local.aws.LocalAwsExtension;
import app.connections.local.aws.TokenEndpointStandIn.Failure;
import app.connections.local.aws.TokenEndpointStandIn.Revocation;
import app.connections.platform.Json;
import app.connections.testing.EventSchemas;
import app.connections.testing.FaultInjector;
import app.connections.testing.OAuthWorld;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.secretsmanager.model.DeleteSecretRequest;

/**
 * A revocation is durable work: REVOKED, its event and the work left are one write, and each step
 * after it (the refresh token revoked at the provider, the access token, the secret's deletion
 * scheduled) is recorded, so a crash at any point is finished by the next DELETE or the retry run —
 * with the provider receiving the revocations, the secret scheduled for deletion, and exactly one
 * {@code Connection Revoked}. The provider is the token-endpoint stand-in, which checks hints.
 */
@ExtendWith(LocalAwsExtension.class)
class RevocationLifecycleTest {
    private final FaultInjector faults = new FaultInjector();
    private OAuthWorld world;
    private Revocations revocations;
    private DynamoPendingRevocations pending;

    @BeforeEach
    void setUp(LocalAws local) throws Exception {
        world = new OAuthWorld(local, "ConnectionsFunction", Map.of("PROVIDER_TIMEOUT_MS", "2000"), faults.install());
        revocations = world.services.revocations();
        pending = new DynamoPendingRevocations(local.clients().dynamo(), world.config.tableName());
    }

    @AfterEach
    void tearDown() {
        faults.reset();
        world.close();
    }

    private BusTap tap(Connection c) {
        return BusTap.on(world.local.stack(), "{\"source\":[\"app.connections\"],\"detail\":{\"connectionId\":[\"" + c.id() + "\"]}}");
    }

    private static List<String> types(BusTap tap) throws Exception {
        List<String> types = new ArrayList<>();
        for (String e : EventSchemas.valid(tap.drain())) {
            types.add(Json.MAPPER.readTree(e).path("detail-type").asText());
        }
        return types;
    }

    private boolean deletionScheduled(Connection c) {
        return world.local.stack().clients().secrets().describeSecret(b -> b.secretId(
                world.reload(c).secretRef().orElseThrow().id())).deletedDate() != null;
    }

    /** A DELETE in a process of its own, which may crash (the test's thread lives on). */
    private void deleteInAProcess(Connection c) throws InterruptedException {
        AtomicReference<Throwable> died = new AtomicReference<>();
        Thread process = Thread.ofPlatform().start(() -> {
            try {
                revocations.revoke(world.reload(c), "revoked_by_user");
            } catch (FaultInjector.ProcessCrashed crashed) {
                died.set(crashed);
            }
        });
        process.join();
    }

    private static Predicate<SdkRequest> revokedWrite(Connection c) {
        return r -> r instanceof TransactWriteItemsRequest t && t.transactItems().stream().anyMatch(i -> i.put() != null
                && i.put().item().get("pk").s().equals("CONNECTION#" + c.id()) && "REVOKED".equals(i.put().item().get("status").s()));
    }

    private static Predicate<SdkRequest> workRecord(Connection c, RevocationWork.Step step) {
        return r -> r instanceof PutItemRequest p && p.item().get("pk").s().startsWith("REVOCATIONS#")
                && p.item().get("sk").s().equals(c.id())
                && p.item().get("done").l().stream().anyMatch(v -> v.s().equals(step.name()));
    }

    private void assertFinished(Connection c, app.connections.vault.Credential tokens, BusTap tap) throws Exception {
        assertThat(world.reload(c).status()).isEqualTo(ConnectionStatus.REVOKED);
        assertThat(world.provider.wasRevoked(tokens.get("refreshToken"))).isTrue();
        assertThat(world.provider.revocations()).extracting(Revocation::token).contains(tokens.get("accessToken"));
        assertThat(world.provider.revocations()).as("each with its token_type_hint").allSatisfy(r -> assertThat(r.hintMatches()).isTrue());
        assertThat(deletionScheduled(c)).isTrue();
        assertThat(pending.find(c.id())).as("nothing left to do").isEmpty();
        assertThat(types(tap)).containsExactly("Connection Revoked");
    }

    @Test
    void theRefreshTokenIsRevokedBeforeTheAccessTokenEachWithItsHintThenTheSecretIsScheduledForDeletion() throws Exception {
        Connection c = world.oauthConnection("acct-order", Duration.ofHours(1));
        app.connections.vault.Credential tokens = world.tokens(c);
        BusTap tap = tap(c);

        revocations.revoke(c, "revoked_by_user");

        assertThat(world.provider.revocations()).extracting(Revocation::token, Revocation::hint)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(tokens.get("refreshToken"), "refresh_token"),
                        org.assertj.core.groups.Tuple.tuple(tokens.get("accessToken"), "access_token"));
        assertFinished(c, tokens, tap);
    }

    @Test
    void aCrashRightAfterTheRevokedWriteIsFinishedByTheNextDeleteAndTheEventIsDeliveredOnce() throws Exception {
        Connection c = world.oauthConnection("acct-crash-after-revoked", Duration.ofHours(1));
        app.connections.vault.Credential tokens = world.tokens(c);
        BusTap tap = tap(c);
        faults.on(DYNAMODB, "TransactWriteItems").where(revokedWrite(c)::test).afterTheCallSucceeded().crash();

        deleteInAProcess(c);

        assertThat(faults.allFired()).isTrue();
        assertThat(world.reload(c).status()).isEqualTo(ConnectionStatus.REVOKED);
        assertThat(world.provider.revocationCalls()).as("the process died before the provider").isZero();
        assertThat(pending.find(c.id())).as("the work was committed with REVOKED").isPresent();

        deleteInAProcess(c); // the user (or the portal) deletes again

        assertFinished(c, tokens, tap);
    }

    @Test
    void aCrashAtEachStepIsResumedWhereItStoppedByTheNextDeleteOrTheRetryRun() throws Exception {
        for (RevocationWork.Step step : RevocationWork.Step.values()) {
            for (boolean byRetryRun : new boolean[] {false, true}) {
                Connection c = world.oauthConnection("acct-crash-" + step + "-" + byRetryRun, Duration.ofHours(1));
                app.connections.vault.Credential tokens = world.tokens(c);
                BusTap tap = tap(c);
                if (step == RevocationWork.Step.DELETION_SCHEDULED) {
                    faults.on(SECRETS_MANAGER, "DeleteSecret").where(r -> r instanceof DeleteSecretRequest d
                            && d.secretId().equals(c.secretRef().orElseThrow().id())).crash();
                } else {
                    faults.on(DYNAMODB, "PutItem").where(workRecord(c, step)::test).crash(); // done at the provider, not recorded
                }

                deleteInAProcess(c);

                assertThat(faults.allFired()).as(step.name()).isTrue();
                assertThat(deletionScheduled(c)).as(step + ": not yet").isFalse();
                faults.reset();
                if (byRetryRun) {
                    world.clock.advance(Duration.ofMinutes(1));
                    pending.save(pending.find(c.id()).orElseThrow().failed(world.clock.instant())); // due now
                    revocations.retryDue();
                } else {
                    deleteInAProcess(c);
                }
                assertFinished(c, tokens, tap);
            }
        }
    }

    @Test
    void invalidClientThen503sBackOffDoublingKeepTheSecretAndGiveUpAfterEightAttemptsWithOneAlarmEvent() throws Exception {
        Connection c = world.oauthConnection("acct-provider-down", Duration.ofHours(1));
        BusTap tap = tap(c);
        List<Failure> answers = new ArrayList<>();
        answers.add(new Failure(401, "{\"error\":\"invalid_client\"}", null, false));
        for (int i = 0; i < 7; i++) {
            answers.add(new Failure(503, "{\"error\":\"temporarily_unavailable\"}", null, false));
        }
        world.provider.failRevocationsWith(answers.toArray(Failure[]::new));

        revocations.revoke(c, "revoked_by_user");

        List<Long> waits = new ArrayList<>();
        for (int attempt = 1; attempt < 8; attempt++) {
            RevocationWork w = pending.find(c.id()).orElseThrow();
            assertThat(w.attempts()).isEqualTo(attempt);
            waits.add(Duration.between(world.clock.instant(), w.nextAttemptAt()).toMinutes());
            assertThat(deletionScheduled(c)).as("the tokens are kept while the provider may still revoke them").isFalse();
            revocations.retryDue();
            assertThat(pending.find(c.id()).orElseThrow()).as("not due before its backoff").isEqualTo(w);
            world.clock.advance(Duration.between(world.clock.instant(), w.nextAttemptAt()));
            revocations.retryDue();
        }

        assertThat(waits).containsExactly(1L, 2L, 4L, 8L, 16L, 32L, 64L);
        assertThat(world.provider.revocations()).hasSize(8).allSatisfy(r -> assertThat(r.hint()).isEqualTo("refresh_token"));
        assertThat(deletionScheduled(c)).as("given up: the secret goes").isTrue();
        assertThat(pending.find(c.id())).isEmpty();
        assertThat(types(tap)).containsExactly("Connection Revoked", "Connection Revocation Failed");
    }

    @Test
    void aPendingRevocationThatAlwaysFailsDoesNotDelayAHundredOthers() throws Exception {
        Connection poison = world.oauthConnection("acct-poison", Duration.ofHours(1));
        List<Connection> others = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            others.add(world.oauthConnection("acct-other-" + i, Duration.ofHours(1)));
        }
        // the poison's tokens can never be read again: every attempt throws
        faults.on(SECRETS_MANAGER, "GetSecretValue").where(r -> r instanceof software.amazon.awssdk.services.secretsmanager.model.GetSecretValueRequest g
                && g.secretId().equals(poison.secretRef().orElseThrow().id())).fail(FaultInjector.AwsError.SERVER_ERROR, 10_000);
        world.provider.failRevocations(100); // the others' first attempts: provider unavailable
        revocations.revoke(poison, "revoked_by_user");
        for (Connection c : others) {
            revocations.revoke(c, "revoked_by_user");
        }
        assertThat(pending.find(poison.id()).orElseThrow().attempts()).isEqualTo(1);

        world.clock.advance(Duration.ofMinutes(2));
        revocations.retryDue();

        for (Connection c : others) {
            assertThat(pending.find(c.id())).as(c.id()).isEmpty();
            assertThat(deletionScheduled(c)).isTrue();
        }
        RevocationWork stuck = pending.find(poison.id()).orElseThrow();
        assertThat(stuck.attempts()).as("it failed again, on its own").isEqualTo(2);
        assertThat(stuck.nextAttemptAt()).isAfter(world.clock.instant());
    }

    @Test
    void aReconnectRacingARevokeEndsRevokedWithNothingStoredUnderAnActiveRecord() throws Exception {
        Connection c = world.oauthConnection("acct-reconnect-race", Duration.ofHours(1));
        BusTap tap = tap(c);
        app.connections.oauth.ConnectFlow flow = world.services.connectFlow();
        Map<String, String> redirect = consentToReconnect(flow, c);
        // the reconnect has read the connection (ACTIVE) and is about to write it: the revoke lands first
        // (its write claims the account in one transaction: the world's connection holds no claim yet)
        faults.on(DYNAMODB, "TransactWriteItems").where(r -> r instanceof TransactWriteItemsRequest t && t.transactItems().stream()
                        .anyMatch(i -> i.put() != null && i.put().item().get("pk").s().equals("CONNECTION#" + c.id())
                                && "ACTIVE".equals(i.put().item().get("status").s())))
                .runFirst(() -> revocations.revoke(world.reload(c), "revoked_by_user"));

        app.connections.oauth.CallbackResult result = flow.callback(redirect);
        if (result instanceof app.connections.oauth.CallbackResult.Authorized authorized) {
            result = flow.complete(new app.connections.oauth.ConnectFlow.Completer(world.account, world.admin().userId(),
                            app.connections.oauth.ConnectSession.Opener.BUILDER),
                    app.connections.connection.Target.workspace(world.workspace), authorized.sessionId(), authorized.completionCode());
        }

        assertThat(faults.allFired()).isTrue();
        assertThat(result).as("the reconnect lost to the revoke")
                .isEqualTo(new app.connections.oauth.CallbackResult.Failed("connection_revoked"));
        assertThat(world.reload(c).status()).as("REVOKED wins").isEqualTo(ConnectionStatus.REVOKED);
        assertThat(deletionScheduled(c)).as("nothing kept under the connection").isTrue();
        assertThat(types(tap)).containsExactly("Connection Revoked");
    }

    @Test
    void providerTimeInOneInvocationStaysWithinItsBudgetAndTheRetryRunFinishesTheRest(LocalAws local) throws Exception {
        // a budget shorter than one provider call (the provider timeout): the DELETE makes no provider call at all
        try (OAuthWorld tight = new OAuthWorld(local, "ConnectionsFunction",
                Map.of("PROVIDER_TIMEOUT_MS", "2000", "REVOCATION_BUDGET_SECONDS", "1"))) {
            Connection c = tight.oauthConnection("acct-budget", Duration.ofHours(1));
            String refreshToken = tight.tokens(c).get("refreshToken");
            tight.services.revocations().revoke(c, "revoked_by_user");

            assertThat(tight.reload(c).status()).isEqualTo(ConnectionStatus.REVOKED);
            assertThat(tight.provider.revocationCalls()).as("no call that could outlast the budget").isZero();
            RevocationWork left = pending.find(c.id()).orElseThrow();
            assertThat(left.done()).isEmpty();
            assertThat(left.nextAttemptAt()).as("due at once").isBeforeOrEqualTo(tight.clock.instant());

            // the retry run: the same service with the refresher's budget (the template gives it 60 s)
            Map<String, String> env = new java.util.HashMap<>(local.environmentOf("RefresherFunction"));
            env.put("CATALOG_FILE", tight.config.catalogFile().orElseThrow().toString());
            env.put("OUTBOUND_ALLOW_LOOPBACK", "true");
            env.put("OAUTH_REDIRECT_URI", "http://127.0.0.1:9/oauth/callback");
            env.put("PROVIDER_TIMEOUT_MS", "2000");
            var retryRun = new app.connections.wiring.Services(app.connections.platform.Config.from(env),
                    new app.connections.platform.aws.AwsClients(), tight.clock);
            tight.clock.advance(Duration.ofMinutes(1));
            retryRun.revocations().retryDue();

            assertThat(tight.provider.wasRevoked(refreshToken)).isTrue();
            assertThat(pending.find(c.id())).isEmpty();
        }
    }

    @Test
    void aPendingRevocationRecordedBeforeTheShardsIsFinishedByTheRetryRun() throws Exception {
        Connection c = world.oauthConnection("acct-legacy", Duration.ofHours(1));
        String refreshToken = world.tokens(c).get("refreshToken");
        world.store.update(world.reload(c).revoked("revoked_by_user", world.clock.instant()));
        // as the previous release recorded it: one partition, a time-ordered key, a pointer item
        var dynamo = world.local.clients().dynamo();
        String at = String.format("%015d", world.clock.instant().toEpochMilli()) + "#" + c.id();
        dynamo.putItem(b -> b.tableName(world.config.tableName()).item(Map.of("pk", s("REVOCATIONS"), "sk", s(at),
                "type", s("pending-revocation"), "connectionId", s(c.id()),
                "attempts", software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromN("1"),
                "nextAttemptAt", s(world.clock.instant().toString()))));
        dynamo.putItem(b -> b.tableName(world.config.tableName()).item(Map.of("pk", s("REVOCATION#" + c.id()), "sk", s("POINTER"),
                "at", s(at))));

        world.clock.advance(Duration.ofMinutes(1));
        revocations.retryDue();

        assertThat(world.provider.wasRevoked(refreshToken)).isTrue();
        assertThat(deletionScheduled(c)).isTrue();
        assertThat(pending.find(c.id())).isEmpty();
        assertThat(dynamo.getItem(b -> b.tableName(world.config.tableName())
                .key(Map.of("pk", s("REVOCATIONS"), "sk", s(at)))).item()).as("the old record is gone").isNullOrEmpty();
    }

    private static software.amazon.awssdk.services.dynamodb.model.AttributeValue s(String v) {
        return software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromS(v);
    }

    /** A reconnect session started and consented to as the same account: the provider's redirect back. */
    private Map<String, String> consentToReconnect(app.connections.oauth.ConnectFlow flow, Connection c) throws Exception {
        var session = flow.createSession(world.admin(), app.connections.connection.Target.workspace(world.workspace),
                new app.connections.oauth.NewConnectSession(world.app, null, Map.of(), c.id()));
        java.net.URI consent = flow.start(session.id());
        world.provider.nextConsentAs(c.externalIdentity().orElseThrow());
        var redirect = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(consent).build(),
                java.net.http.HttpResponse.BodyHandlers.discarding());
        java.net.URI back = java.net.URI.create(redirect.headers().firstValue("location").orElseThrow());
        Map<String, String> params = new java.util.HashMap<>();
        for (String pair : back.getRawQuery().split("&")) {
            String[] kv = pair.split("=", 2);
            params.put(kv[0], java.net.URLDecoder.decode(kv[1], java.nio.charset.StandardCharsets.UTF_8));
        }
        return params;
    }
}
