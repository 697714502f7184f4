package app.connections.events.aws;

import app.connections.events.EventBus;
import app.connections.events.EventPublishException;
import app.connections.events.OutboxEvent;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequestEntry;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResponse;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResultEntry;

/**
 * The {@link EventBus} on the service's custom EventBridge bus, source {@value #SOURCE}: one
 * {@code PutEvents} per batch of up to ten, with each entry's own result (EventBridge may take some
 * entries of a call and refuse others). Only the outbox function has it.
 */
public final class EventBridgePublisher implements EventBus {
    public static final String SOURCE = "app.connections";

    private final EventBridgeClient events;
    private final String busName;

    public EventBridgePublisher(EventBridgeClient events, String busName) {
        if (busName == null || busName.isBlank()) {
            throw new IllegalStateException("environment variable EVENT_BUS_NAME is required to deliver events");
        }
        this.events = events;
        this.busName = busName;
    }

    @Override
    public Set<String> publish(List<OutboxEvent> batch) {
        if (batch.isEmpty()) {
            return Set.of();
        }
        if (batch.size() > MAX_BATCH) {
            throw new IllegalArgumentException("at most " + MAX_BATCH + " events per PutEvents");
        }
        List<PutEventsRequestEntry> entries = batch.stream().map(e -> PutEventsRequestEntry.builder()
                .eventBusName(busName).source(SOURCE).detailType(e.detailType()).detail(e.detailJson()).build()).toList();
        PutEventsResponse response;
        try {
            response = events.putEvents(b -> b.entries(entries));
        } catch (SdkException e) {
            throw new EventPublishException("PutEvents failed: " + e.getClass().getSimpleName(), e);
        }
        Set<String> refused = new HashSet<>();
        if (response.failedEntryCount() != null && response.failedEntryCount() > 0) {
            List<PutEventsResultEntry> results = response.entries();
            for (int i = 0; i < batch.size(); i++) {
                if (i >= results.size() || results.get(i).errorCode() != null) {
                    refused.add(batch.get(i).id());
                }
            }
        }
        return refused;
    }
}
