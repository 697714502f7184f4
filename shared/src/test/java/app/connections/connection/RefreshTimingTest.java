package app.connections.connection;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The refresh policy is defined for every lifetime a provider grants, from 30 seconds to a day, and none. */
class RefreshTimingTest {
    private static final Instant ISSUED = Instant.parse("2026-12-01T10:00:00Z");
    private final RefreshTiming timing = RefreshTiming.DEFAULT; // 15 min lead, 5 min schedule, 24 h keep-alive

    private TokenSchedule granted(Duration lifetime) {
        return timing.granted(Optional.of(ISSUED.plus(lifetime)), true, ISSUED);
    }

    @Test
    void aTokenJustIssuedIsNeverDueWhateverItsLifetime() {
        for (Duration lifetime : List.of(Duration.ofSeconds(30), Duration.ofSeconds(60), Duration.ofMinutes(5),
                Duration.ofMinutes(14), Duration.ofMinutes(15), Duration.ofMinutes(16), Duration.ofHours(1), Duration.ofHours(24))) {
            TokenSchedule t = granted(lifetime);

            assertThat(t.dueForUse(ISSUED)).as(lifetime.toString()).isFalse();
            assertThat(t.dueForSweep(ISSUED)).as(lifetime.toString()).isFalse();
            assertThat(t.dueAt().orElseThrow()).as(lifetime.toString()).isAfterOrEqualTo(ISSUED.plus(lifetime.dividedBy(2)));
            assertThat(t.dueAt().orElseThrow()).as(lifetime.toString()).isBefore(ISSUED.plus(lifetime));
        }
    }

    @Test
    void theLeadIsTheSmallerOfFifteenMinutesAndHalfTheLifetime() {
        assertThat(granted(Duration.ofSeconds(30)).dueAt()).contains(ISSUED.plusSeconds(15));
        assertThat(granted(Duration.ofMinutes(5)).dueAt()).contains(ISSUED.plusSeconds(150));
        assertThat(granted(Duration.ofMinutes(16)).dueAt()).contains(ISSUED.plus(Duration.ofMinutes(8)));
        assertThat(granted(Duration.ofHours(1)).dueAt()).contains(ISSUED.plus(Duration.ofMinutes(45)));
        assertThat(granted(Duration.ofHours(24)).dueAt()).contains(ISSUED.plus(Duration.ofHours(24)).minus(Duration.ofMinutes(15)));
    }

    @Test
    void tokensThatOutliveTheScheduleAreSweptWhenDueShorterOnesOnlyForTheirKeepAlive() {
        assertThat(granted(Duration.ofHours(1)).sweepAt()).isEqualTo(granted(Duration.ofHours(1)).dueAt().orElseThrow());
        assertThat(granted(Duration.ofMinutes(11)).sweepAt()).as("lead 5.5 min > the 5 min period")
                .isEqualTo(ISSUED.plus(Duration.ofSeconds(330)));
        for (Duration shortLived : List.of(Duration.ofSeconds(30), Duration.ofMinutes(5), Duration.ofMinutes(10))) {
            TokenSchedule t = granted(shortLived);
            assertThat(t.sweepAt()).as(shortLived.toString()).isEqualTo(ISSUED.plus(Duration.ofHours(24)));
            assertThat(t.dueForSweep(ISSUED.plus(shortLived))).as("the schedule leaves it to the resolver").isFalse();
            assertThat(t.dueForUse(ISSUED.plus(shortLived))).as("a resolve refreshes it").isTrue();
        }
    }

    @Test
    void aTokenWithoutALifetimeIsNeverDueForUseButItsRefreshTokenIsKeptAlive() {
        TokenSchedule t = timing.granted(Optional.empty(), true, ISSUED);

        assertThat(t.expiresAt()).isEmpty();
        assertThat(t.expired(ISSUED.plus(Duration.ofDays(400)))).isFalse();
        assertThat(t.dueForUse(ISSUED.plus(Duration.ofDays(2)))).isFalse();
        assertThat(t.dueForSweep(ISSUED.plus(Duration.ofHours(23)))).isFalse();
        assertThat(t.dueForSweep(ISSUED.plus(Duration.ofHours(24)))).isTrue();
    }

    @Test
    void aRefreshRestartsTheClockFromTheNewToken() {
        TokenSchedule first = granted(Duration.ofMinutes(5));
        Instant later = ISSUED.plus(Duration.ofMinutes(4));

        TokenSchedule renewed = timing.refreshed(first.failed(later), Optional.of(later.plus(Duration.ofMinutes(5))), later);

        assertThat(renewed.issuedAt()).isEqualTo(later);
        assertThat(renewed.refreshedAt()).contains(later);
        assertThat(renewed.failedAttempts()).isZero();
        assertThat(renewed.retryAt()).isEmpty();
        assertThat(renewed.dueForUse(later)).isFalse();
    }

    @Test
    void aBackoffHoldsBothTheResolverAndTheSchedule() {
        TokenSchedule t = granted(Duration.ofHours(1)).failed(ISSUED.plus(Duration.ofMinutes(50)));

        assertThat(t.dueForUse(ISSUED.plus(Duration.ofMinutes(46)))).isFalse();
        assertThat(t.dueForSweep(ISSUED.plus(Duration.ofMinutes(46)))).isFalse();
        assertThat(t.nextSweep()).isEqualTo(ISSUED.plus(Duration.ofMinutes(50)));
        assertThat(t.dueForUse(ISSUED.plus(Duration.ofMinutes(50)))).isTrue();
    }

    @Test
    void aShortTokenBackingOffWaitsForItsKeepAliveInTheIndexNotForItsRetry() {
        TokenSchedule t = granted(Duration.ofMinutes(5)).failed(ISSUED.plus(Duration.ofMinutes(4)));

        assertThat(t.nextSweep()).isEqualTo(ISSUED.plus(Duration.ofHours(24)));
    }
}
