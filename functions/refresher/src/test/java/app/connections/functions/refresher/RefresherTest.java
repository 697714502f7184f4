package app.connections.functions.refresher;

import static org.assertj.core.api.Assertions.assertThat;

import app.connections.connection.Connection;
import app.connections.connection.ConnectionStatus;
import app.connections.local.aws.BusTap;
import app.connections.local.aws.LocalAws;
import app.connections.local.aws.LocalAwsExtension;
import app.connections.local.aws.TokenEndpointStandIn.Failure;
import app.connections.testing.OAuthWorld;
import app.connections.api.lambda.LocalLambdaContext;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(LocalAwsExtension.class)
class RefresherTest {
    private OAuthWorld world;
    private RefresherHandler handler;
    private BusTap alerts;

    @BeforeEach
    void setUp(LocalAws local) throws Exception {
        world = new OAuthWorld(local, "RefresherFunction", Map.of("PROVIDER_TIMEOUT_MS", "2000"));
        handler = new RefresherHandler(world.services.refreshRun());
        alerts = BusTap.on(local.stack(), "{\"source\":[\"app.connections\"],\"detail\":{\"accountId\":[\"" + world.account + "\"]}}");
    }

    @AfterEach
    void tearDown() {
        world.close();
    }

    private Map<String, Object> runOnce() throws Exception {
        Map<String, Object> summary = handler.handleRequest(Map.of("source", "aws.events", "detail-type", "Scheduled Event"),
                LocalLambdaContext.of("RefresherFunction"));
        return summary;
    }

    private List<String> published(String detailType) {
        return app.connections.testing.EventSchemas.valid(alerts.drain()).stream().filter(e -> {
            try {
                return app.connections.platform.Json.MAPPER.readTree(e).path("detail-type").asText().equals(detailType);
            } catch (java.io.IOException ex) {
                throw new IllegalStateException(ex);
            }
        }).toList();
    }

    @Test
    void aTokenExpiringWithinTheLeadWindowIsRefreshedAndOthersAreLeftAlone() throws Exception {
        Connection soon = world.oauthConnection("acct-soon", Duration.ofMinutes(5));
        Connection later = world.oauthConnection("acct-later", Duration.ofHours(2));
        String oldAccess = world.tokens(soon).get("accessToken");

        Map<String, Object> summary = runOnce();

        assertThat(summary.get("refreshed")).isEqualTo(1);
        assertThat(world.provider.refreshCalls()).isEqualTo(1);
        assertThat(world.tokens(soon).get("accessToken")).isNotEqualTo(oldAccess);
        assertThat(world.reload(soon).tokenSchedule().orElseThrow().expiresAt().orElseThrow())
                .isAfter(world.clock.instant().plus(Duration.ofMinutes(50)));
        assertThat(world.reload(soon).tokenSchedule().orElseThrow().refreshedAt()).contains(world.clock.instant());
        assertThat(world.reload(later).version()).isEqualTo(later.version());
    }

    @Test
    void aRotatedRefreshTokenReplacesTheOldOneWhichIsNeverUsedAgain() throws Exception {
        Connection c = world.oauthConnection("acct-rotating", Duration.ofMinutes(1));
        String first = world.tokens(c).get("refreshToken");

        runOnce();
        String second = world.tokens(c).get("refreshToken");
        world.clock.advance(Duration.ofMinutes(50));
        runOnce();

        assertThat(second).isNotEqualTo(first);
        assertThat(world.provider.isValid(first)).isFalse();
        assertThat(world.tokens(c).get("refreshToken")).isNotIn(first, second);
        assertThat(world.reload(c).status()).isEqualTo(ConnectionStatus.ACTIVE);
        assertThat(world.provider.refreshCalls()).isEqualTo(2);
    }

    @Test
    void aGrantRevokedAtTheProviderMarksTheConnectionErrorWithExactlyOneAlertAcrossCycles() throws Exception {
        Connection c = world.oauthConnection("acct-revoked", Duration.ofMinutes(5));
        world.provider.revokeGrantsOf("acct-revoked");

        for (int cycle = 0; cycle < 3; cycle++) {
            runOnce();
            world.clock.advance(Duration.ofMinutes(5));
        }

        Connection after = world.reload(c);
        assertThat(after.status()).isEqualTo(ConnectionStatus.ERROR);
        assertThat(after.statusReason()).contains("invalid_grant");
        List<String> events = published("Connection Reauthorization Required");
        assertThat(events).hasSize(1);
        assertThat(events.get(0)).contains(c.id()).contains("invalid_grant");
        assertThat(world.provider.refreshCalls()).isEqualTo(1);
    }

    @Test
    void serverErrorsRateLimitsAndNetworkFailuresRaiseNoAlertWhileTheTokenIsValid() throws Exception {
        Connection c = world.oauthConnection("acct-flaky", Duration.ofMinutes(14));
        world.provider.failNext(new Failure(500, "{\"error\":\"server_error\"}", null, false),
                new Failure(429, "{\"error\":\"slow_down\"}", "600", false),
                new Failure(0, null, null, true));

        runOnce();
        Connection afterFirst = world.reload(c);
        world.clock.advance(Duration.ofSeconds(30)); // the first backoff
        runOnce();
        Connection afterSecond = world.reload(c);
        world.clock.advance(Duration.ofMinutes(9));
        runOnce();
        int callsBeforeRetryAfter = world.provider.tokenCalls();
        world.clock.advance(Duration.ofMinutes(1).plusSeconds(1)); // Retry-After: 600 has passed
        runOnce();
        Connection afterDrop = world.reload(c);

        assertThat(afterFirst.status()).isEqualTo(ConnectionStatus.ACTIVE);
        assertThat(afterFirst.tokenSchedule().orElseThrow().failedAttempts()).isEqualTo(1);
        assertThat(afterSecond.tokenSchedule().orElseThrow().retryAt().orElseThrow())
                .as("Retry-After: 600 is honoured").isEqualTo(afterSecond.updatedAt().plusSeconds(600));
        assertThat(callsBeforeRetryAfter).as("no call before Retry-After has passed").isEqualTo(2);
        assertThat(world.provider.tokenCalls()).as("the dropped connection was reached").isEqualTo(3);
        assertThat(afterDrop.tokenSchedule().orElseThrow().failedAttempts()).isEqualTo(3);
        assertThat(afterDrop.status()).isEqualTo(ConnectionStatus.ACTIVE);
        assertThat(published("Connection Reauthorization Required")).isEmpty();
    }

    @Test
    void aTokenEndpointThatTimesOutIsTransient() throws Exception {
        Connection c = world.oauthConnection("acct-slow", Duration.ofMinutes(10));
        world.provider.latency(Duration.ofMillis(6_000)); // three times the provider timeout: no race on a busy machine

        runOnce();

        Connection after = world.reload(c);
        assertThat(after.status()).isEqualTo(ConnectionStatus.ACTIVE);
        assertThat(after.tokenSchedule().orElseThrow().failedAttempts()).isEqualTo(1);
        assertThat(after.tokenSchedule().orElseThrow().retryAt()).isPresent();
        assertThat(published("Connection Reauthorization Required")).isEmpty();
    }

    @Test
    void anExpiredTokenGoesToErrorOnTheFifthFailedAttemptAfterBackoffsOfThirtySecondsDoubling() throws Exception {
        Connection c = world.oauthConnection("acct-down", Duration.ofMinutes(2));
        for (int i = 0; i < 10; i++) {
            world.provider.failNext(new Failure(503, "{}", null, false));
        }

        for (int attempt = 1; attempt <= 4; attempt++) {
            runOnce();
            Connection after = world.reload(c);
            var schedule = after.tokenSchedule().orElseThrow();
            Duration backoff = Duration.ofSeconds(30L << (attempt - 1));
            assertThat(after.status()).as("attempt %d", attempt).isEqualTo(ConnectionStatus.ACTIVE);
            assertThat(schedule.failedAttempts()).isEqualTo(attempt);
            assertThat(schedule.retryAt()).contains(world.clock.instant().plus(backoff));
            runOnce();
            assertThat(world.provider.tokenCalls()).as("nothing before the backoff has passed").isEqualTo(attempt);
            world.clock.advance(backoff);
        }
        assertThat(world.reload(c).tokenSchedule().orElseThrow().expired(world.clock.instant())).isTrue();
        assertThat(published("Connection Reauthorization Required")).as("an expired token alone is no alert").isEmpty();

        runOnce();

        assertThat(world.provider.tokenCalls()).isEqualTo(5);
        assertThat(world.reload(c).status()).isEqualTo(ConnectionStatus.ERROR);
        assertThat(world.reload(c).statusReason()).contains("refresh_failed");
        assertThat(published("Connection Reauthorization Required")).hasSize(1);
    }

    @Test
    void ourOwnClientCredentialsRefusedRaiseOneAppAlarmAndLeaveConnectionsActive() throws Exception {
        Connection a = world.oauthConnection("acct-a", Duration.ofMinutes(5));
        Connection b = world.oauthConnection("acct-b", Duration.ofMinutes(5));
        world.provider.failNext(new Failure(401, "{\"error\":\"invalid_client\"}", null, false),
                new Failure(401, "{\"error\":\"invalid_client\"}", null, false));
        BusTap appAlarms = BusTap.on(world.local.stack(), "{\"source\":[\"app.connections\"],\"detail-type\":[\"OAuth App Credentials Rejected\"]}");

        runOnce();

        assertThat(world.reload(a).status()).isEqualTo(ConnectionStatus.ACTIVE);
        assertThat(world.reload(b).status()).isEqualTo(ConnectionStatus.ACTIVE);
        assertThat(app.connections.testing.EventSchemas.valid(appAlarms.drain())).hasSize(1);
        assertThat(published("Connection Reauthorization Required")).isEmpty();
    }

    @Test
    void aRunStopsStartingWorkWhenTheFunctionIsAboutToTimeOut() throws Exception {
        world.oauthConnection("acct-late", Duration.ofMinutes(5));

        Map<String, Object> summary = handler.handleRequest(Map.of(), LocalLambdaContext.of("RefresherFunction", 5_000));

        assertThat(summary.get("stoppedEarly")).isEqualTo(true);
        assertThat(summary.get("considered")).isEqualTo(0);
        assertThat(world.provider.tokenCalls()).isZero();
    }

    @Test
    void aRunCutShortByTimeReachesEveryShardAndTheNextRunStartsElsewhere() throws Exception {
        List<Connection> backlog = new java.util.ArrayList<>();
        for (int i = 0; i < 96; i++) {
            backlog.add(world.oauthConnection("acct-backlog-" + i, Duration.ofMinutes(5)));
        }
        java.util.Map<String, Integer> shardOf = new java.util.HashMap<>();
        for (int shard = 0; shard < world.store.dueShards(); shard++) {
            for (String id : world.store.due(shard, world.clock.instant(), 1000, java.util.Optional.empty()).items()) {
                shardOf.put(id, shard);
            }
        }
        java.util.Set<Integer> shardsWithWork = new java.util.HashSet<>();
        backlog.forEach(c -> shardsWithWork.add(shardOf.get(c.id())));
        var run = new app.connections.refresh.RefreshRun(world.store, world.services.tokenRefresher(),
                world.services.revocations(), world.clock, 4, 1);

        // time for one round over the shards (one page of one id each), then the function's time is up:
        // the run checks its time before the revocation retry, before each page and before each refresh
        java.util.concurrent.atomic.AtomicInteger checks = new java.util.concurrent.atomic.AtomicInteger();
        int budget = 1 + world.store.dueShards() + shardsWithWork.size();
        var first = run.run(() -> checks.incrementAndGet() <= budget ? Duration.ofMinutes(5) : Duration.ofSeconds(19),
                Duration.ofSeconds(20));

        java.util.Set<Integer> reached = new java.util.HashSet<>();
        backlog.stream().filter(c -> world.reload(c).version() > c.version()).forEach(c -> reached.add(shardOf.get(c.id())));
        assertThat(first.stoppedEarly()).isTrue();
        assertThat(first.refreshed()).isEqualTo(shardsWithWork.size());
        assertThat(reached).as("one connection of every shard before a second of any").isEqualTo(shardsWithWork);

        world.clock.advance(Duration.ofMinutes(5));
        var second = run.run(() -> Duration.ofMinutes(5), Duration.ofSeconds(20));
        assertThat(second.refreshed()).as("the next run takes up the rest").isEqualTo(backlog.size() - first.refreshed());
        assertThat(backlog).allSatisfy(c -> assertThat(world.reload(c).tokenSchedule().orElseThrow().refreshedAt()).isPresent());
        assertThat(app.connections.refresh.RefreshRun.startShard(world.clock.instant(), 16))
                .isNotEqualTo(app.connections.refresh.RefreshRun.startShard(world.clock.instant().minus(Duration.ofMinutes(5)), 16));
    }

    @Test
    void theTemplateSchedulesTheRefresherEveryFiveMinutesWithFiveMinutesToRun() throws Exception {
        var function = world.local.function("RefresherFunction");

        assertThat(function.schedules()).containsExactly("rate(5 minutes)");
        assertThat(function.timeoutSeconds()).isEqualTo(300);
        assertThat(function.environment()).containsEntry("REFRESH_PERIOD_MINUTES", java.util.Map.of("Ref", "RefreshPeriodMinutes"));
        assertThat(function.handlerClass()).isEqualTo(RefresherHandler.class.getName());
        assertThat(Files.exists(world.local.root().resolve("events/refresher/scheduled-event.json"))).isTrue();
    }
}
