package app.connections.functions.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import app.connections.api.lambda.LambdaLogContext;
import app.connections.api.lambda.LocalLambdaContext;
import app.connections.events.OutboxDelivery;
import app.connections.events.aws.EventBridgePublisher;
import app.connections.local.aws.BusTap;
import app.connections.local.aws.LocalAws;
import app.connections.local.aws.LocalAwsExtension;
import app.connections.local.aws.Template;
import app.connections.platform.Json;
import app.connections.platform.aws.AwsClients;
import app.connections.testing.Captured;
import app.connections.testing.EventSchemas;
import app.connections.testing.FaultInjector;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import java.io.InputStream;
import java.nio.file.Files;
import java.time.Clock;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The outbox function: the stream's records in, their events on the bus, the records not delivered reported. */
@ExtendWith(LocalAwsExtension.class)
class OutboxHandlerTest {
    private final FaultInjector faults = new FaultInjector();

    @AfterEach
    void tearDown() {
        faults.reset();
    }

    /** The sample stream event (events/outbox), as the Lambda runtime reads it, for a connection of its own. */
    private DynamodbEvent event(LocalAws local, String connectionId) throws Exception {
        String json = Files.readString(local.root().resolve("events/outbox/stream-event.json")).replace("c-sample", connectionId);
        try (InputStream in = new java.io.ByteArrayInputStream(json.getBytes(java.nio.charset.StandardCharsets.UTF_8))) {
            return LambdaEventSerializers.serializerFor(DynamodbEvent.class, getClass().getClassLoader()).fromJson(in);
        }
    }

    private OutboxHandler handler(LocalAws local, AwsClients clients) {
        return new OutboxHandler(new OutboxDelivery(new EventBridgePublisher(clients.events(), local.stack().eventBus()),
                LambdaLogContext.metrics(), Clock.systemUTC()));
    }

    @Test
    void theRecordsEventsReachTheBusAndNothingIsReported(LocalAws local) throws Exception {
        String id = UUID.randomUUID().toString();
        BusTap tap = BusTap.on(local.stack(), "{\"source\":[\"app.connections\"],\"detail\":{\"connectionId\":[\"" + id + "\"]}}");

        Captured run = Captured.during(() -> handler(local, new AwsClients()).handleRequest(event(local, id),
                LocalLambdaContext.of("OutboxFunction", 30_000)));

        List<String> delivered = EventSchemas.valid(tap.drain());
        assertThat(delivered).singleElement().satisfies(e -> {
            var envelope = Json.MAPPER.readTree(e);
            assertThat(envelope.path("detail-type").asText()).isEqualTo("Connection Revoked");
            assertThat(envelope.path("detail").path("eventId").asText()).isEqualTo(id + ":v2:connection-revoked");
        });
        assertThat(run.metric("OutboxLag")).singleElement().satisfies(p -> {
            assertThat(p.unit()).isEqualTo("Seconds");
            assertThat(p.sum("OutboxLag")).as("the sample record is old").isGreaterThan(0);
        });
    }

    @Test
    void eventBridgeFailingPastTheSdkRetriesReportsTheRecordForTheStreamToRetry(LocalAws local) throws Exception {
        String id = UUID.randomUUID().toString();
        faults.on(FaultInjector.Service.EVENTBRIDGE, "PutEvents")
                .fail(FaultInjector.AwsError.SERVER_ERROR, FaultInjector.SDK_ATTEMPTS.get(FaultInjector.Service.EVENTBRIDGE));
        StreamsEventResponse[] response = new StreamsEventResponse[1];

        Captured run = Captured.during(() -> response[0] = handler(local, new AwsClients(faults.install()))
                .handleRequest(event(local, id), LocalLambdaContext.of("OutboxFunction", 30_000)));

        assertThat(faults.allFired()).isTrue();
        assertThat(response[0].getBatchItemFailures()).extracting(StreamsEventResponse.BatchItemFailure::getItemIdentifier)
                .containsExactly("1100000000017454423009");
        assertThat(run.logs()).filteredOn(l -> l.path("message").asText().startsWith("outbox event not delivered"))
                .singleElement().satisfies(l -> assertThat(l.path("eventId").asText()).isEqualTo(id + ":v2:connection-revoked"));
    }

    @Test
    void theTemplateDeliversOnlyOutboxInsertsToThisHandlerWithPartialBatchResponses(LocalAws local) {
        Template.StreamEvent e = local.template().streamEvents().stream()
                .filter(s -> s.functionLogicalId().equals("OutboxFunction")).findFirst().orElseThrow();
        assertThat(e.reportsBatchItemFailures()).isTrue();
        assertThat(e.maximumRetryAttempts()).isBetween(0, 10_000);
        assertThat(e.filterPatterns()).singleElement().asString().contains("INSERT").contains("outbox");
        assertThat(local.template().functions()).filteredOn(f -> f.logicalId().equals("OutboxFunction")).singleElement()
                .satisfies(f -> assertThat(f.handlerClass()).isEqualTo(OutboxHandler.class.getName()));
        assertThat(local.template().functions()).filteredOn(f -> !f.logicalId().equals("OutboxFunction"))
                .allSatisfy(f -> assertThat(f.environment()).as(f.logicalId()).doesNotContainKey("EVENT_BUS_NAME"));
    }
}
