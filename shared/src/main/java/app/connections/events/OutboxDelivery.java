package app.connections.events;

import app.connections.platform.Metric;
import app.connections.platform.Metrics;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers the events of one batch of outbox records (in stream order) to the bus, in batches of
 * {@link EventBus#MAX_BATCH}: returns the ids of the records not delivered, so the stream hands them
 * (and those after them) to the next invocation. After a batch that failed, the later ones are not
 * sent but reported with it: the stream resumes from the first record reported anyway. One log line per event not delivered; the lag of
 * the batch (now − the oldest record's stream time) is measured as {@link Metric#OUTBOX_LAG}.
 */
public final class OutboxDelivery {
    private static final Logger LOG = LoggerFactory.getLogger(OutboxDelivery.class);

    private final EventBus bus;
    private final Metrics metrics;
    private final Clock clock;

    public OutboxDelivery(EventBus bus, Metrics metrics, Clock clock) {
        this.bus = bus;
        this.metrics = metrics;
        this.clock = clock;
    }

    /** Returns the ids of the events not delivered (empty: all delivered). */
    public Set<String> deliver(List<OutboxEvent> events) {
        if (events.isEmpty()) {
            return Set.of();
        }
        Duration lag = Duration.between(events.stream().map(OutboxEvent::streamedAt).min(java.time.Instant::compareTo).orElseThrow(),
                clock.instant());
        metrics.timing(Metric.OUTBOX_LAG, lag.isNegative() ? Duration.ZERO : lag);
        Set<String> failed = new LinkedHashSet<>();
        for (int i = 0; i < events.size(); i += EventBus.MAX_BATCH) {
            List<OutboxEvent> batch = new ArrayList<>(events.subList(i, Math.min(events.size(), i + EventBus.MAX_BATCH)));
            if (!failed.isEmpty()) {
                // the stream resumes from the first record reported: what follows it is not sent now (it would be sent twice)
                batch.forEach(e -> failed.add(e.id()));
                continue;
            }
            try {
                Set<String> refused = bus.publish(batch);
                for (OutboxEvent e : batch) {
                    if (refused.contains(e.id())) {
                        failed.add(e.id());
                        LOG.atWarn().addKeyValue("eventId", e.id()).addKeyValue("detailType", e.detailType())
                                .log("outbox event not delivered: the bus refused it; the stream retries it");
                    }
                }
            } catch (EventPublishException e) {
                for (OutboxEvent event : batch) {
                    failed.add(event.id());
                    LOG.atWarn().addKeyValue("eventId", event.id()).addKeyValue("detailType", event.detailType())
                            .log("outbox event not delivered: {}; the stream retries it", e.getMessage());
                }
            }
        }
        metrics.record(Metric.OUTBOX_DELIVERY_FAILURES, failed.size());
        return failed;
    }
}
