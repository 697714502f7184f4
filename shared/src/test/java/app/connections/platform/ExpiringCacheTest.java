package app.connections.platform;

import static org.assertj.core.api.Assertions.assertThat;

import app.connections.testing.OAuthWorld.MutableClock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ExpiringCacheTest {
    private final MutableClock clock = new MutableClock();

    @Test
    void aValueIsKeptUntilItsTimeIsUp() {
        ExpiringCache<String, String> cache = new ExpiringCache<>(Duration.ofSeconds(60), 10, clock);
        cache.put("k", "v");

        clock.advance(Duration.ofSeconds(59));
        assertThat(cache.get("k")).contains("v");
        clock.advance(Duration.ofSeconds(1));
        assertThat(cache.get("k")).isEmpty();
    }

    @Test
    void theLeastRecentlyUsedValueMakesRoomWhenFull() {
        ExpiringCache<String, String> cache = new ExpiringCache<>(Duration.ofSeconds(60), 2, clock);
        cache.put("a", "1");
        cache.put("b", "2");
        cache.get("a");

        cache.put("c", "3");

        assertThat(cache.get("a")).contains("1");
        assertThat(cache.get("b")).isEmpty();
        assertThat(cache.get("c")).contains("3");
    }

    @Test
    void aCacheWithoutTimeOrRoomKeepsNothing() {
        ExpiringCache<String, String> noTime = new ExpiringCache<>(Duration.ZERO, 10, clock);
        ExpiringCache<String, String> noRoom = new ExpiringCache<>(Duration.ofSeconds(60), 0, clock);
        noTime.put("k", "v");
        noRoom.put("k", "v");

        assertThat(noTime.get("k")).isEmpty();
        assertThat(noRoom.get("k")).isEmpty();
    }
}
