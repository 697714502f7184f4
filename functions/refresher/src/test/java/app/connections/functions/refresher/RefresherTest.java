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
        world = new OAuthWorld(local, "RefresherFunction", Map.of("PROVIDER_TIMEOUT_MS", "800"));
        handler = new RefresherHandler(world.services.refreshRun(world.services.catalog()));
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
        assertThat(world.reload(soon).tokenSchedule().orElseThrow().expiresAt())
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
        Connection c = world.oauthConnection("acct-flaky", Duration.ofMinutes(10));
        world.provider.failNext(new Failure(500, "{\"error\":\"server_error\"}", null, false),
                new Failure(429, "{\"error\":\"slow_down\"}", "600", false),
                new Failure(0, null, null, true));

        runOnce();
        Connection afterFirst = world.reload(c);
        world.clock.advance(Duration.ofMinutes(1));
        runOnce();
        Connection afterSecond = world.reload(c);
        world.clock.advance(afterSecond.tokenSchedule().orElseThrow().retryAt().orElseThrow().minusSeconds(1)
                .isAfter(world.clock.instant()) ? Duration.ofMinutes(1) : Duration.ZERO);
        runOnce();

        assertThat(afterFirst.status()).isEqualTo(ConnectionStatus.ACTIVE);
        assertThat(afterFirst.tokenSchedule().orElseThrow().failedAttempts()).isEqualTo(1);
        assertThat(afterSecond.tokenSchedule().orElseThrow().retryAt().orElseThrow())
                .as("Retry-After: 600 is honoured").isAfterOrEqualTo(world.clock.instant().plus(Duration.ofMinutes(8)));
        assertThat(world.provider.tokenCalls()).as("no call before Retry-After has passed").isEqualTo(2);
        assertThat(world.reload(c).status()).isEqualTo(ConnectionStatus.ACTIVE);
        assertThat(published("Connection Reauthorization Required")).isEmpty();
    }

    @Test
    void aTokenEndpointThatTimesOutIsTransient() throws Exception {
        Connection c = world.oauthConnection("acct-slow", Duration.ofMinutes(10));
        world.provider.latency(Duration.ofMillis(2_000));

        runOnce();

        Connection after = world.reload(c);
        assertThat(after.status()).isEqualTo(ConnectionStatus.ACTIVE);
        assertThat(after.tokenSchedule().orElseThrow().failedAttempts()).isEqualTo(1);
        assertThat(after.tokenSchedule().orElseThrow().retryAt()).isPresent();
        assertThat(published("Connection Reauthorization Required")).isEmpty();
    }

    @Test
    void afterTheTokenExpiredAndRetriesAreExhaustedTheConnectionGoesToError() throws Exception {
        Connection c = world.oauthConnection("acct-down", Duration.ofMinutes(2));
        for (int i = 0; i < 10; i++) {
            world.provider.failNext(new Failure(503, "{}", null, false));
        }

        for (int cycle = 0; cycle < 8 && world.reload(c).status() == ConnectionStatus.ACTIVE; cycle++) {
            runOnce();
            world.clock.advance(Duration.ofMinutes(31));
        }

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
    void theTemplateSchedulesTheRefresherEveryFiveMinutes() throws Exception {
        var function = world.local.function("RefresherFunction");

        assertThat(function.schedules()).containsExactly("rate(5 minutes)");
        assertThat(function.handlerClass()).isEqualTo(RefresherHandler.class.getName());
        assertThat(Files.exists(world.local.root().resolve("events/refresher/scheduled-event.json"))).isTrue();
    }
}
