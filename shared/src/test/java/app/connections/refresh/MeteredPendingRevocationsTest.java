package app.connections.refresh;

import static org.assertj.core.api.Assertions.assertThat;

import app.connections.connection.RevocationWork;
import app.connections.connection.aws.RevocationWorkItems;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The age the PendingRevocationAge alarm reads: since the revoke, not a guess from the backoff. */
class MeteredPendingRevocationsTest {
    private static final Instant NOW = Instant.parse("2026-12-01T10:00:00Z");

    @Test
    void aRevocationStillPendingNinetyMinutesAfterItsRevokeIsNinetyMinutesOldWhateverItsBackoff() {
        RevocationWork work = RevocationWork.start("c-1", NOW.minus(Duration.ofMinutes(90)))
                .failed(NOW.minus(Duration.ofMinutes(89))).failed(NOW.minus(Duration.ofMinutes(87))).failed(NOW.plusSeconds(60));

        assertThat(MeteredPendingRevocations.age(work, NOW)).isEqualTo(Duration.ofMinutes(90));
    }

    @Test
    void theRevokeTimeSurvivesTheTableAndWorkRecordedWithoutItGetsALowerBound() {
        RevocationWork work = RevocationWork.start("c-2", NOW.minus(Duration.ofHours(2))).failed(NOW.minus(Duration.ofMinutes(5)));
        assertThat(RevocationWorkItems.fromItem(RevocationWorkItems.item(work)).revokedAt()).contains(NOW.minus(Duration.ofHours(2)));

        // before the work recorded its start: 3 failed attempts (1 + 2 + 4 minutes of backoff), due 10 minutes ago
        RevocationWork older = new RevocationWork("c-3", Set.of(), 3, NOW.minus(Duration.ofMinutes(10)));
        assertThat(older.revokedAt()).isEqualTo(Optional.empty());
        assertThat(MeteredPendingRevocations.age(older, NOW)).isEqualTo(Duration.ofMinutes(17));
    }
}
