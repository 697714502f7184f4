package app.connections.functions.refresher;

import static org.assertj.core.api.Assertions.assertThat;

import app.connections.connection.Connection;
import app.connections.local.aws.LocalAws;
import app.connections.local.aws.LocalAwsExtension;
import app.connections.refresh.RefreshRun;
import app.connections.testing.OAuthWorld;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Look-ahead spreading in the scheduled refresher, on a controlled clock: once every due token is
 * renewed, spare capacity renews early the tokens expiring within 45 minutes that are at least half
 * their lifetime old — never a young token, never one expiring later, and not while the write budget
 * is busy.
 */
@ExtendWith(LocalAwsExtension.class)
class LookAheadTest {
    private OAuthWorld world;

    @BeforeEach
    void setUp(LocalAws local) throws Exception {
        world = new OAuthWorld(local, "RefresherFunction", Map.of("PROVIDER_TIMEOUT_MS", "2000"));
    }

    @AfterEach
    void tearDown() {
        world.close();
    }

    private RefreshRun.Summary runOnce() throws InterruptedException {
        return world.services.refreshRun().run(() -> Duration.ofMinutes(10), Duration.ofSeconds(5));
    }

    private boolean renewed(Connection c) {
        return world.reload(c).version() != c.version();
    }

    @Test
    void spareCapacityRenewsOldTokensExpiringWithinTheWindowAndNothingElse() throws Exception {
        Connection due = world.oauthConnection("due", Duration.ofMinutes(10)); // 1 h token, inside its 15-minute lead
        Connection soonAndOld = world.oauthConnection("soon-and-old", Duration.ofMinutes(25)); // 35 minutes old
        Connection youngButShort = world.oauthConnection("young-but-short", Optional.of(Duration.ofMinutes(40)),
                Duration.ofMinutes(5)); // expires in 35 minutes, but only an eighth of its life has passed
        Connection later = world.oauthConnection("later", Duration.ofMinutes(50)); // expires beyond the window

        RefreshRun.Summary summary = runOnce();

        assertThat(renewed(due)).isTrue();
        assertThat(renewed(soonAndOld)).isTrue();
        assertThat(renewed(youngButShort)).isFalse();
        assertThat(renewed(later)).isFalse();
        assertThat(summary.refreshed()).isEqualTo(2);
        assertThat(summary.lookedAhead()).isEqualTo(1);
        assertThat(world.provider.refreshCalls()).isEqualTo(2);

        // the next run: nothing is due, nothing is renewed twice
        world.clock.advance(Duration.ofMinutes(5));
        RefreshRun.Summary next = runOnce();
        assertThat(next.refreshed()).isZero();
        assertThat(world.provider.refreshCalls()).isEqualTo(2);
    }

    @Test
    void aBusyWriteBudgetLeavesEarlyRenewalsForALaterRun() throws Exception {
        Connection soonAndOld = world.oauthConnection("soon-and-old", Duration.ofMinutes(25));
        var budget = world.services.tokenRefresher().writeBudget();
        // other writers keep the budget spent for the whole run
        Thread writers = Thread.ofVirtual().start(() -> {
            try {
                while (!Thread.currentThread().isInterrupted()) {
                    budget.acquire();
                }
            } catch (InterruptedException stop) {
                // the run is over
            }
        });
        RefreshRun.Summary busy;
        try {
            while (budget.idle()) {
                Thread.sleep(10);
            }
            busy = runOnce();
        } finally {
            writers.interrupt();
            writers.join();
        }

        assertThat(busy.lookedAhead()).isZero();
        assertThat(renewed(soonAndOld)).isFalse();
    }
}
