package app.connections.events.aws;

import app.connections.events.ConnectionEvent;
import app.connections.events.EventPublishException;
import app.connections.events.EventPublisher;
import app.connections.platform.Json;
import com.fasterxml.jackson.core.JsonProcessingException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResponse;

/** {@link EventPublisher} on the service's custom EventBridge bus, source {@value #SOURCE}. */
public final class EventBridgePublisher implements EventPublisher {
    public static final String SOURCE = "app.connections";

    private final EventBridgeClient events;
    private final String busName;

    public EventBridgePublisher(EventBridgeClient events, String busName) {
        this.events = events;
        this.busName = busName;
    }

    @Override
    public void publish(ConnectionEvent event) {
        String detail;
        try {
            detail = Json.MAPPER.writeValueAsString(event.detail());
        } catch (JsonProcessingException e) {
            throw new EventPublishException("could not serialise event " + event.detailType(), e);
        }
        PutEventsResponse response;
        try {
            response = events.putEvents(b -> b.entries(e -> e
                    .eventBusName(busName)
                    .source(SOURCE)
                    .detailType(event.detailType())
                    .detail(detail)));
        } catch (SdkException e) {
            throw new EventPublishException("could not publish " + event.detailType(), e);
        }
        if (response.failedEntryCount() != null && response.failedEntryCount() > 0) {
            var entry = response.entries().get(0);
            throw new EventPublishException("EventBridge refused " + event.detailType() + ": "
                    + entry.errorCode() + " " + entry.errorMessage(), null);
        }
    }
}
