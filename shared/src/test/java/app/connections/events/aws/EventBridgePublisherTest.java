package app.connections.events.aws;

import static org.assertj.core.api.Assertions.assertThat;

import app.connections.TestStack;
import app.connections.events.ConnectionEvent;
import app.connections.events.OutboxEvent;
import java.time.Instant;
import app.connections.local.aws.LocalAws;
import app.connections.local.aws.LocalAwsExtension;
import app.connections.platform.Json;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.sqs.SqsClient;

@ExtendWith(LocalAwsExtension.class)
class EventBridgePublisherTest {

    @Test
    void aBatchOfOutboxEventsArrivesOnTheBusEachWithItsIdInItsDetail(LocalAws local) throws Exception {
        String bus = local.stack().eventBus();
        var events = TestStack.clients().events();
        SqsClient sqs = SqsClient.builder().build();
        String queueName = "events-" + UUID.randomUUID();
        String queueUrl = sqs.createQueue(b -> b.queueName(queueName)).queueUrl();
        String queueArn = sqs.getQueueAttributes(b -> b.queueUrl(queueUrl).attributeNamesWithStrings("QueueArn"))
                .attributesAsStrings().get("QueueArn");
        String connectionId = UUID.randomUUID().toString();
        events.putRule(b -> b.name(queueName).eventBusName(bus)
                .eventPattern("{\"source\":[\"app.connections\"],\"detail\":{\"connectionId\":[\"" + connectionId + "\"]}}"));
        events.putTargets(b -> b.rule(queueName).eventBusName(bus).targets(t -> t.id("q").arn(queueArn)));

        java.util.List<OutboxEvent> batch = new java.util.ArrayList<>();
        for (int i = 0; i < 3; i++) {
            ConnectionEvent e = new ConnectionEvent(connectionId + ":v" + (i + 1) + ":connection-created", ConnectionEvent.CREATED,
                    Map.of("connectionId", connectionId, "app", "freshdesk", "status", "ACTIVE"));
            batch.add(new OutboxEvent(e.id(), e.detailType(), Json.MAPPER.writeValueAsString(e.detail()), Instant.now(), Instant.now()));
        }

        assertThat(new EventBridgePublisher(events, bus).publish(batch)).as("refused").isEmpty();

        java.util.List<String> ids = new java.util.ArrayList<>();
        for (int i = 0; i < 10 && ids.size() < 3; i++) {
            for (var m : sqs.receiveMessage(b -> b.queueUrl(queueUrl).waitTimeSeconds(1).maxNumberOfMessages(10)).messages()) {
                JsonNode envelope = Json.MAPPER.readTree(m.body());
                assertThat(envelope.path("detail-type").asText()).isEqualTo("Connection Created");
                assertThat(envelope.path("source").asText()).isEqualTo("app.connections");
                assertThat(envelope.path("detail").path("connectionId").asText()).isEqualTo(connectionId);
                ids.add(envelope.path("detail").path("eventId").asText());
            }
        }
        assertThat(ids).containsExactlyInAnyOrderElementsOf(batch.stream().map(OutboxEvent::id).toList());
    }
}
