package app.connections.local.aws;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Reads back what is published on the stack's event bus: a rule with an SQS target (the way moto
 * delivers EventBridge events), filtered by an event pattern.
 */
public final class BusTap {
    private final SqsClient sqs;
    private final String queueUrl;

    private BusTap(SqsClient sqs, String queueUrl) {
        this.sqs = sqs;
        this.queueUrl = queueUrl;
    }

    /** Starts tapping the bus for events matching {@code eventPattern} (EventBridge pattern JSON). */
    public static BusTap on(StackDescription stack, String eventPattern) {
        LocalClients clients = stack.clients();
        SqsClient sqs = clients.sqs();
        EventBridgeClient events = clients.events();
        String name = "tap-" + UUID.randomUUID();
        String url = sqs.createQueue(b -> b.queueName(name)).queueUrl();
        String arn = sqs.getQueueAttributes(b -> b.queueUrl(url).attributeNamesWithStrings("QueueArn"))
                .attributesAsStrings().get("QueueArn");
        events.putRule(b -> b.name(name).eventBusName(stack.eventBus()).eventPattern(eventPattern));
        events.putTargets(b -> b.rule(name).eventBusName(stack.eventBus()).targets(t -> t.id("tap").arn(arn)));
        return new BusTap(sqs, url);
    }

    /** The raw EventBridge envelopes received so far (waits briefly for the first). */
    public List<String> drain() {
        List<String> bodies = new ArrayList<>();
        while (true) {
            var messages = sqs.receiveMessage(b -> b.queueUrl(queueUrl).maxNumberOfMessages(10)
                    .waitTimeSeconds(bodies.isEmpty() ? 1 : 0)).messages();
            if (messages.isEmpty()) {
                return bodies;
            }
            messages.forEach(m -> {
                bodies.add(m.body());
                sqs.deleteMessage(b -> b.queueUrl(queueUrl).receiptHandle(m.receiptHandle()));
            });
        }
    }
}
