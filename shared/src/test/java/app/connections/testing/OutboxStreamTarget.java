package app.connections.testing;

import app.connections.events.EventBus;
import app.connections.events.OutboxDelivery;
import app.connections.events.aws.EventBridgePublisher;
import app.connections.events.lambda.OutboxStreamRecords;
import app.connections.local.aws.StackDescription;
import app.connections.local.aws.StreamDelivery;
import app.connections.local.aws.Template;
import app.connections.platform.Json;
import app.connections.platform.Metrics;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import java.io.ByteArrayInputStream;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The outbox function's work for tests that have no function module to invoke: the stream event read
 * by the Lambda runtime's own serializer, the delivery to the stack's bus, and the partial batch
 * response — what {@code OutboxHandler} does. Found through {@link StreamDelivery.Targets} (a service
 * file), so every {@code BusTap.drain()} delivers the outbox first.
 */
public final class OutboxStreamTarget implements StreamDelivery.Targets {
    @Override
    public Optional<StreamDelivery.Target> targetFor(StackDescription stack, Template.StreamEvent event) {
        if (!event.functionLogicalId().equals("OutboxFunction")) {
            return Optional.empty();
        }
        return Optional.of(delivering(new EventBridgePublisher(stack.clients().events(), stack.eventBus())));
    }

    /** A target that delivers to {@code bus} (a test's bus: e.g. one whose client fails). */
    public static StreamDelivery.Target delivering(EventBus bus) {
        OutboxDelivery delivery = new OutboxDelivery(bus, Metrics.NONE, Clock.systemUTC());
        PojoSerializer<DynamodbEvent> in = LambdaEventSerializers.serializerFor(DynamodbEvent.class,
                OutboxStreamTarget.class.getClassLoader());
        return json -> {
            DynamodbEvent event = in.fromJson(new ByteArrayInputStream(json));
            List<OutboxStreamRecords.Record> records = OutboxStreamRecords.of(event);
            Set<String> failed = delivery.deliver(records.stream().map(OutboxStreamRecords.Record::event).toList());
            return Json.MAPPER.writeValueAsBytes(OutboxStreamRecords.failures(records, failed));
        };
    }
}
