package app.connections.events.lambda;

import app.connections.events.OutboxEvent;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The DynamoDB stream event the outbox function gets (only outbox INSERTs: the template's filter)
 * as {@link OutboxEvent}s, and the per-record failures as Lambda's partial batch response: each
 * record is reported by its sequence number, and the stream resumes from the first one reported.
 */
public final class OutboxStreamRecords {
    private OutboxStreamRecords() {
    }

    /** The outbox records of the batch, in stream order (anything else the filter let through is skipped). */
    public static List<Record> of(DynamodbEvent event) {
        List<Record> out = new ArrayList<>();
        if (event == null || event.getRecords() == null) {
            return out;
        }
        for (DynamodbEvent.DynamodbStreamRecord r : event.getRecords()) {
            var ddb = r.getDynamodb();
            Map<String, AttributeValue> image = ddb == null ? null : ddb.getNewImage();
            if (image == null || !"INSERT".equals(r.getEventName()) || !"outbox".equals(str(image, "type"))) {
                continue;
            }
            Instant streamed = ddb.getApproximateCreationDateTime() != null
                    ? ddb.getApproximateCreationDateTime().toInstant() : Instant.now();
            out.add(new Record(ddb.getSequenceNumber(), new OutboxEvent(str(image, "eventId"), str(image, "detailType"),
                    str(image, "detail"), Instant.parse(str(image, "createdAt")), streamed)));
        }
        return out;
    }

    /** Lambda's partial batch response: the records whose events were not delivered. */
    public static StreamsEventResponse failures(List<Record> records, Set<String> failedEventIds) {
        List<StreamsEventResponse.BatchItemFailure> failures = records.stream()
                .filter(r -> failedEventIds.contains(r.event().id()))
                .map(r -> new StreamsEventResponse.BatchItemFailure(r.sequenceNumber())).toList();
        return new StreamsEventResponse(failures);
    }

    private static String str(Map<String, AttributeValue> image, String name) {
        AttributeValue v = image.get(name);
        return v == null ? null : v.getS();
    }

    /** One stream record: its sequence number and the event it carries. */
    public record Record(String sequenceNumber, OutboxEvent event) {
    }
}
