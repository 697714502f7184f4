package app.connections.events;

import static org.assertj.core.api.Assertions.assertThat;

import app.connections.platform.Metrics;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** How one stream batch of outbox events is put on the bus: ten per call, in order, nothing sent after a failure. */
class OutboxBatchesTest {
    private static List<OutboxEvent> events(int n) {
        Instant now = Instant.now();
        return IntStream.range(0, n).mapToObj(i -> new OutboxEvent("e" + i, "Connection Created", "{}", now, now)).toList();
    }

    @Test
    void twentyFiveEventsGoOutInThreeCallsOfAtMostTen() {
        List<List<String>> calls = new ArrayList<>();
        EventBus bus = batch -> {
            calls.add(batch.stream().map(OutboxEvent::id).toList());
            return Set.of();
        };

        Set<String> failed = new OutboxDelivery(bus, Metrics.NONE, Clock.systemUTC()).deliver(events(25));

        assertThat(failed).isEmpty();
        assertThat(calls).extracting(List::size).containsExactly(10, 10, 5);
        assertThat(calls.get(0)).startsWith("e0");
    }

    @Test
    void afterACallThatFailsTheRestIsReportedUnsentForTheStreamToRetryInOrder() {
        List<List<String>> calls = new ArrayList<>();
        EventBus bus = batch -> {
            calls.add(batch.stream().map(OutboxEvent::id).toList());
            if (calls.size() == 2) {
                throw new EventPublishException("PutEvents failed", null);
            }
            return Set.of();
        };

        Set<String> failed = new OutboxDelivery(bus, Metrics.NONE, Clock.systemUTC()).deliver(events(25));

        assertThat(calls).as("nothing sent after the failed call").hasSize(2);
        assertThat(failed).hasSize(15).contains("e10", "e19", "e20", "e24").doesNotContain("e0", "e9");
    }

    @Test
    void anEntryTheBusRefusesIsReportedAndTheLaterCallsWait() {
        List<List<String>> calls = new ArrayList<>();
        EventBus bus = batch -> {
            calls.add(batch.stream().map(OutboxEvent::id).toList());
            return Set.of("e3"); // EventBridge took the others of this call
        };

        Set<String> failed = new OutboxDelivery(bus, Metrics.NONE, Clock.systemUTC()).deliver(events(25));

        assertThat(calls).hasSize(1);
        assertThat(failed).hasSize(16).contains("e3", "e10", "e24").doesNotContain("e0", "e4", "e9");
    }
}
