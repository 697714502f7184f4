package app.connections.events.aws;

import static org.assertj.core.api.Assertions.assertThat;

import app.connections.TestStack;
import app.connections.events.ConnectionEvent;
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
    void aPublishedEventArrivesOnTheBusAndReachesAnSqsTarget(LocalAws local) throws Exception {
        String bus = TestStack.config(local).eventBusName();
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

        new EventBridgePublisher(events, bus).publish(new ConnectionEvent(ConnectionEvent.CREATED,
                Map.of("connectionId", connectionId, "app", "freshdesk", "status", "ACTIVE")));

        var messages = sqs.receiveMessage(b -> b.queueUrl(queueUrl).waitTimeSeconds(5).maxNumberOfMessages(10)).messages();
        assertThat(messages).hasSize(1);
        JsonNode envelope = Json.MAPPER.readTree(messages.get(0).body());
        assertThat(envelope.path("detail-type").asText()).isEqualTo("Connection Created");
        assertThat(envelope.path("source").asText()).isEqualTo("app.connections");
        assertThat(envelope.path("detail").path("connectionId").asText()).isEqualTo(connectionId);
    }
}
