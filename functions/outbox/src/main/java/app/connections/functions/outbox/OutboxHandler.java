package app.connections.functions.outbox;

import app.connections.api.lambda.LambdaLogContext;
import app.connections.events.OutboxDelivery;
import app.connections.events.lambda.OutboxStreamRecords;
import app.connections.wiring.Services;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import java.util.List;
import java.util.Set;

/**
 * The outbox's delivery: the table's stream hands it the outbox items just written (the template's
 * filter: INSERTs of {@code type = outbox}); it puts their events on the bus in batches and reports
 * the records not delivered, which the stream hands to it again (partial batch response).
 */
public final class OutboxHandler implements RequestHandler<DynamodbEvent, StreamsEventResponse> {
    private final OutboxDelivery delivery;

    public OutboxHandler() {
        this(Services.fromEnvironment());
    }

    private OutboxHandler(Services services) {
        this(services.outboxDelivery());
        services.primeBeforeSnapshot(() -> { }); // a delivery calls the bus: only the SDK request path is primed
    }

    OutboxHandler(OutboxDelivery delivery) {
        this.delivery = delivery;
    }

    @Override
    public StreamsEventResponse handleRequest(DynamodbEvent event, Context context) {
        return LambdaLogContext.with(context, null, () -> {
            List<OutboxStreamRecords.Record> records = OutboxStreamRecords.of(event);
            Set<String> failed = delivery.deliver(records.stream().map(OutboxStreamRecords.Record::event).toList());
            return OutboxStreamRecords.failures(records, failed);
        });
    }
}
