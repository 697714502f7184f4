package app.connections.faults;

import static app.connections.testing.FaultInjector.Service.DYNAMODB;
import static app.connections.testing.FaultInjector.Service.EVENTBRIDGE;
import static org.assertj.core.api.Assertions.assertThat;

import app.connections.connection.Connection;
import app.connections.connection.ConnectionStatus;
import app.connections.events.aws.EventBridgePublisher;
import app.connections.local.aws.BusTap;
import app.connections.local.aws.LocalAws;
import app.connections.local.aws.LocalAwsExtension;
import app.connections.local.aws.StreamDelivery;
import app.connections.platform.Json;
import app.connections.platform.aws.AwsClients;
import app.connections.testing.Captured;
import app.connections.testing.EventSchemas;
import app.connections.testing.FaultInjector;
import app.connections.testing.OAuthWorld;
import app.connections.testing.OutboxStreamTarget;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;

/**
 * The transactional outbox: a state change and its events are one write, and the events reach the
 * bus afterwards through the table's stream (the outbox function, here as the local stream
 * delivery runs it), at least once and with a stable id: nothing is lost when EventBridge fails or
 * the process dies right after the write.
 */
@ExtendWith(LocalAwsExtension.class)
class OutboxDeliveryTest {
    private final FaultInjector faults = new FaultInjector();
    private OAuthWorld world;
    private StreamDelivery delivery;

    @BeforeEach
    void setUp(LocalAws local) throws Exception {
        world = new OAuthWorld(local, "ConnectionsFunction", Map.of(), faults.install());
        StreamDelivery.all(local.stack(), local.template()); // the default target (the stack's bus)
        delivery = StreamDelivery.of(local.stack(), local.template(), "OutboxFunction");
    }

    @AfterEach
    void tearDown() {
        faults.reset();
        delivery.target(OutboxStreamTarget.delivering(new EventBridgePublisher(world.local.stack().clients().events(),
                world.local.stack().eventBus())), line -> System.err.println(line));
        world.close();
    }

    private BusTap tap() {
        return BusTap.on(world.local.stack(), "{\"source\":[\"app.connections\"],\"detail\":{\"accountId\":[\"" + world.account + "\"]}}");
    }

    private static List<JsonNode> events(BusTap tap) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        for (String e : EventSchemas.valid(tap.drain())) {
            out.add(Json.MAPPER.readTree(e));
        }
        return out;
    }

    @Test
    void putEventsFailingForSeveralDeliveriesLosesNothingAndEachEventArrivesOncePerId() throws Exception {
        BusTap tap = tap();
        // the outbox function's bus client, failing every SDK attempt of its next three deliveries
        delivery.target(OutboxStreamTarget.delivering(new EventBridgePublisher(new AwsClients(faults.install()).events(),
                world.local.stack().eventBus())), line -> { });
        faults.on(EVENTBRIDGE, "PutEvents").fail(FaultInjector.AwsError.SERVER_ERROR, 3 * FaultInjector.SDK_ATTEMPTS.get(EVENTBRIDGE));
        List<Connection> revoked = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Connection c = world.apiKeyConnection("fd-key-outbox-" + i, Map.of("subdomain", "acme"));
            revoked.add(world.services.revocations().revoke(c, "revoked_by_user"));
        }

        Captured failing = Captured.during(() -> {
            for (int i = 0; i < 3; i++) {
                assertThat(delivery.pump()).as("the bus is down: nothing delivered").isZero();
            }
            return null;
        });
        assertThat(failing.logs()).filteredOn(l -> l.path("message").asText().startsWith("outbox event not delivered"))
                .as("one line per event not delivered").hasSizeGreaterThanOrEqualTo(3)
                .allSatisfy(l -> assertThat(l.path("eventId").asText()).isNotBlank());

        List<JsonNode> delivered = events(tap); // the next delivery goes through
        assertThat(faults.allFired()).isTrue();
        List<String> ids = delivered.stream().map(e -> e.path("detail").path("eventId").asText()).toList();
        assertThat(ids).doesNotHaveDuplicates().hasSize(3);
        assertThat(delivered).extracting(e -> e.path("detail").path("connectionId").asText())
                .containsExactlyInAnyOrderElementsOf(revoked.stream().map(Connection::id).toList());
        assertThat(delivered).allSatisfy(e -> assertThat(e.path("detail-type").asText()).isEqualTo("Connection Revoked"));
        assertThat(events(tap)).as("delivered once").isEmpty();
    }

    @Test
    void aCrashRightAfterTheStateWriteStillDeliversItsEvent() throws Exception {
        Connection c = world.oauthConnection("acct-outbox-crash", Duration.ofMinutes(5));
        world.provider.revokeGrantsOf("acct-outbox-crash");
        BusTap tap = tap();
        // the ACTIVE→ERROR write commits; the process dies before anything after it
        faults.on(DYNAMODB, "TransactWriteItems").where(r -> r instanceof TransactWriteItemsRequest t && t.transactItems().stream()
                .anyMatch(i -> i.put() != null && i.put().item().get("pk").s().equals("CONNECTION#" + c.id())))
                .afterTheCallSucceeded().crash();
        AtomicReference<Throwable> died = new AtomicReference<>();
        Thread process = Thread.ofPlatform().start(() -> {
            try {
                world.services.tokenRefresher().refresh(c.id(), app.connections.refresh.RefreshReason.SCHEDULE);
            } catch (Throwable t) {
                died.set(t);
            }
        });
        process.join();

        assertThat(died.get()).isInstanceOf(FaultInjector.ProcessCrashed.class);
        assertThat(world.reload(c).status()).isEqualTo(ConnectionStatus.ERROR);
        assertThat(events(tap)).singleElement().satisfies(e -> {
            assertThat(e.path("detail-type").asText()).isEqualTo("Connection Reauthorization Required");
            assertThat(e.path("detail").path("eventId").asText()).isEqualTo(c.id() + ":v" + (c.version() + 1)
                    + ":connection-reauthorization-required");
        });
    }
}
