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
    private static volatile Template template;
    private final SqsClient sqs;
    private final String queueUrl;
    private final StackDescription stack;

    private BusTap(SqsClient sqs, String queueUrl, StackDescription stack) {
        this.sqs = sqs;
        this.queueUrl = queueUrl;
        this.stack = stack;
    }

    private static Template template() {
        if (template == null) {
            template = Template.load(LocalAws.projectRoot().resolve("template.yaml"));
        }
        return template;
    }

    /** Starts tapping the bus for events matching {@code eventPattern} (EventBridge pattern JSON). */
    public static BusTap on(StackDescription stack, String eventPattern) {
        // what was written before the tap was delivered before it (Lambda's mapping would have by now)
        StreamDelivery.all(stack, template()).forEach(StreamDelivery::pump);
        LocalClients clients = stack.clients();
        SqsClient sqs = clients.sqs();
        EventBridgeClient events = clients.events();
        String name = "tap-" + UUID.randomUUID();
        String url = sqs.createQueue(b -> b.queueName(name)).queueUrl();
        String arn = sqs.getQueueAttributes(b -> b.queueUrl(url).attributeNamesWithStrings("QueueArn"))
                .attributesAsStrings().get("QueueArn");
        events.putRule(b -> b.name(name).eventBusName(stack.eventBus()).eventPattern(eventPattern));
        events.putTargets(b -> b.rule(name).eventBusName(stack.eventBus()).targets(t -> t.id("tap").arn(arn)));
        return new BusTap(sqs, url, stack);
    }

    /**
     * The envelopes that arrive within {@code wait} by themselves (no pumping here: a running dev
     * server delivers the outbox on its own timer); returns as soon as one has arrived.
     */
    public List<String> arriving(java.time.Duration wait) {
        List<String> bodies = new ArrayList<>();
        long until = System.nanoTime() + wait.toNanos();
        while (bodies.isEmpty() && System.nanoTime() < until) {
            var messages = sqs.receiveMessage(b -> b.queueUrl(queueUrl).maxNumberOfMessages(10).waitTimeSeconds(1)).messages();
            messages.forEach(m -> {
                bodies.add(m.body());
                sqs.deleteMessage(b -> b.queueUrl(queueUrl).receiptHandle(m.receiptHandle()));
            });
        }
        return bodies;
    }

    /**
     * The raw EventBridge envelopes received so far (waits briefly for the first). Events reach the
     * bus only through the outbox: the table's stream is pumped first ({@link StreamDelivery}), as
     * Lambda's event source mapping would have done by now.
     */
    public List<String> drain() {
        StreamDelivery.all(stack, template()).forEach(StreamDelivery::pump);
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
