package app.connections.functions.grants;

import static app.connections.testing.FaultInjector.AwsError.SERVER_ERROR;
import static app.connections.testing.FaultInjector.AwsError.TRANSACTION_CONFLICT;
import static app.connections.testing.FaultInjector.Service.DYNAMODB;
import static app.connections.testing.FaultInjector.Service.SECRETS_MANAGER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import app.connections.auth.AccountRole;
import app.connections.auth.BuilderUser;
import app.connections.catalog.CredentialKind;
import app.connections.connection.Connection;
import app.connections.connection.ConnectionStatus;
import app.connections.connection.Scope;
import app.connections.grant.Grants;
import app.connections.grant.SpendLedger;
import app.connections.local.aws.LocalAws;
import app.connections.local.aws.LocalAwsExtension;
import app.connections.local.aws.TokenEndpointStandIn.Failure;
import app.connections.platform.Json;
import app.connections.resolve.ResolveRequest;
import app.connections.resolve.ResolveResult;
import app.connections.resolve.Resolver;
import app.connections.testing.FaultInjector;
import app.connections.testing.OAuthWorld;
import app.connections.vault.Credential;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * A capped grant's month spend stays true: reservations nobody will settle are given back (a resolve
 * that gives no credential, expired ones however many), an estimate above the whole cap is refused
 * without using the month's one cap event, a write conflict is not "cap reached", and an amount
 * JSON cannot hold exactly is a 400.
 */
@ExtendWith(LocalAwsExtension.class)
class SpendReservationsTest {
    private final FaultInjector faults = new FaultInjector();
    private OAuthWorld world;
    private GrantsHandler handler;
    private Resolver resolver;
    private Connection openai;
    private final List<Connection> made = new ArrayList<>();

    @BeforeEach
    void setUp(LocalAws local) throws Exception {
        world = new OAuthWorld(local, "GrantsFunction", Map.of("PROVIDER_TIMEOUT_MS", "2000"), faults.install());
        handler = new GrantsHandler(world.services.grants());
        resolver = world.services.resolver();
        openai = accountConnection("openai", CredentialKind.API_KEY, Map.of("apiKey", "sk-spend"), Optional.empty());
    }

    @AfterEach
    void tearDown() {
        faults.reset();
        for (Connection c : made) {
            world.store.find(c.id()).filter(x -> !x.isRevoked())
                    .ifPresent(x -> world.store.update(x.revoked("test", world.clock.instant())));
        }
        world.close();
    }

    private Connection accountConnection(String app, CredentialKind kind, Map<String, String> secret, Optional<Instant> expiresAt) {
        Instant now = world.clock.instant();
        Connection c = Connection.create(UUID.randomUUID().toString(), world.account, Optional.empty(), Scope.ACCOUNT, app,
                "Agency " + app, kind, ConnectionStatus.ACTIVE, Map.of(), "owner", now);
        var ref = world.vault.create(OAuthWorld.owner(c), new Credential(secret));
        Connection stored = kind == CredentialKind.OAUTH2
                ? world.store.create(c.authorized("agency", "owner", ref,
                        world.services.refreshTiming().granted(expiresAt, true, now.minus(Duration.ofHours(1))), now))
                : world.store.create(c.withCredential(Map.of(), ref, "hmac:" + c.id(), now));
        made.add(stored);
        return stored;
    }

    private void grant(Connection c, String capUsd) {
        world.services.grants().grant(new BuilderUser("owner", world.account, AccountRole.ADMIN, Map.of()), world.account, c.id(),
                world.workspace, Optional.of(new BigDecimal(capUsd).movePointRight(6).longValueExact()));
    }

    private ResolveResult resolve(Connection c, double estimateUsd) {
        Map<String, Object> input = Map.of("connectionId", c.id(), "accountId", world.account, "workspaceId", world.workspace,
                "runId", "run-" + UUID.randomUUID(), "stepId", "llm", "estimatedCostUsd", estimateUsd);
        return resolver.resolve(ResolveRequest.parse(input).orElseThrow());
    }

    private String partition(Connection c) {
        return "SPEND#" + c.id() + "#" + world.workspace + "#" + Grants.month(world.clock.instant());
    }

    /** The month's total as stored: committed (settled + open reservations) and whether the cap event was used. */
    private Map<String, AttributeValue> total(Connection c) {
        return world.local.clients().dynamo().getItem(b -> b.tableName(world.config.tableName()).consistentRead(true)
                .key(Map.of("pk", AttributeValue.fromS(partition(c)), "sk", AttributeValue.fromS("TOTAL")))).item();
    }

    private long committedMicros(Connection c) {
        var t = total(c);
        return t == null || !t.containsKey("committedMicros") ? 0 : Long.parseLong(t.get("committedMicros").n());
    }

    private boolean capEventUsed(Connection c) {
        var t = total(c);
        return t != null && t.containsKey("capReachedNotified");
    }

    private static Predicate<SdkRequest> reservationOf(Connection c) {
        return r -> r instanceof TransactWriteItemsRequest t && t.transactItems().stream().anyMatch(i -> i.put() != null
                && "reservation".equals(i.put().item().get("type").s()) && i.put().item().get("pk").s().contains(c.id()));
    }

    private JsonNode listedGrant(Connection c) throws Exception {
        APIGatewayV2HTTPEvent e = event("list-grants", c.id());
        return Json.MAPPER.readTree(handler.handleRequest(e, null).getBody()).path("grants").get(0);
    }

    private APIGatewayV2HTTPEvent event(String name, String connectionId) throws Exception {
        try (InputStream in = Files.newInputStream(world.local.root().resolve("events/grants/" + name + ".json"))) {
            APIGatewayV2HTTPEvent e = LambdaEventSerializers.serializerFor(APIGatewayV2HTTPEvent.class, getClass().getClassLoader()).fromJson(in);
            Map<String, String> params = new HashMap<>(e.getPathParameters());
            params.put("accountId", world.account);
            params.put("connectionId", connectionId);
            e.setPathParameters(params);
            Map<String, String> claims = new HashMap<>(e.getRequestContext().getAuthorizer().getJwt().getClaims());
            claims.put("custom:account_id", world.account);
            e.getRequestContext().getAuthorizer().getJwt().setClaims(claims);
            return e;
        }
    }

    // ------------------------------------------------------------------ reservations nobody settles

    @Test
    void fiveThousandExpiredReservationsAreAllReleasedAndTheGrantHasItsWholeCapAgain() throws Exception {
        grant(openai, "50");
        // 5,000 runs reserved a cent each and never settled: the whole $50 is committed
        Instant expired = world.clock.instant().minus(Duration.ofMinutes(1));
        List<WriteRequest> writes = new ArrayList<>();
        for (int i = 0; i < 5_000; i++) {
            writes.add(WriteRequest.builder().putRequest(PutRequest.builder().item(Map.of(
                    "pk", AttributeValue.fromS(partition(openai)), "sk", AttributeValue.fromS("RESERVATION#" + UUID.randomUUID()),
                    "type", AttributeValue.fromS("reservation"), "amountMicros", AttributeValue.fromN("10000"),
                    "status", AttributeValue.fromS("open"), "expiresAt", AttributeValue.fromN(String.valueOf(expired.getEpochSecond())),
                    // the size of a real month's items, so the reads really take pages
                    "padding", AttributeValue.fromS("x".repeat(200)))).build()).build());
        }
        var dynamo = world.local.clients().dynamo();
        for (int i = 0; i < writes.size(); i += 25) {
            var batch = writes.subList(i, i + 25);
            var left = dynamo.batchWriteItem(b -> b.requestItems(Map.of(world.config.tableName(), batch))).unprocessedItems();
            assertThat(left).isEmpty();
        }
        dynamo.putItem(b -> b.tableName(world.config.tableName()).item(Map.of("pk", AttributeValue.fromS(partition(openai)),
                "sk", AttributeValue.fromS("TOTAL"), "committedMicros", AttributeValue.fromN("50000000"),
                "spentMicros", AttributeValue.fromN("0"))));

        try {
            assertThat(resolve(openai, 1.0)).isInstanceOf(ResolveResult.Ok.class);

            assertThat(committedMicros(openai)).as("every expired reservation given back, the new one counted").isEqualTo(1_000_000);
            assertThat(listedGrant(openai).path("remainingUsd").decimalValue()).isEqualByComparingTo("49");
            assertThat(capEventUsed(openai)).isFalse();
        } finally {
            // the shared moto copies the whole table for every transaction item: leave it as small as found
            deleteReservations(openai);
        }
    }

    private void deleteReservations(Connection c) {
        var dynamo = world.local.clients().dynamo();
        var keys = dynamo.queryPaginator(b -> b.tableName(world.config.tableName()).projectionExpression("pk, sk")
                .keyConditionExpression("pk = :pk AND begins_with(sk, :r)")
                .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS(partition(c)), ":r", AttributeValue.fromS("RESERVATION#"))))
                .items().stream().map(k -> WriteRequest.builder().deleteRequest(d -> d.key(k)).build()).toList();
        for (int i = 0; i < keys.size(); i += 25) {
            var batch = keys.subList(i, Math.min(keys.size(), i + 25));
            dynamo.batchWriteItem(b -> b.requestItems(Map.of(world.config.tableName(), batch)));
        }
    }

    @Test
    void aResolveThatEndsWaitingGivesItsReservationBack() throws Exception {
        Connection crm = accountConnection(world.app, CredentialKind.OAUTH2,
                Map.of("accessToken", "at-old", "refreshToken", "rt-unknown", "tokenType", "Bearer"),
                Optional.of(world.clock.instant().minus(Duration.ofMinutes(5))));
        grant(crm, "10");
        world.provider.failNext(new Failure(503, "{\"error\":\"temporarily_unavailable\"}", null, false));

        ResolveResult result = resolve(crm, 4.0);

        assertThat(result).isInstanceOf(ResolveResult.Waiting.class);
        assertThat(committedMicros(crm)).as("nothing held for a run that got no credential").isZero();
        assertThat(listedGrant(crm).path("remainingUsd").decimalValue()).isEqualByComparingTo("10");
    }

    @Test
    void aResolveThatFailsOnOurStorageGivesItsReservationBack() throws Exception {
        grant(openai, "10");
        faults.on(SECRETS_MANAGER, "GetSecretValue").fail(SERVER_ERROR, FaultInjector.SDK_ATTEMPTS.get(SECRETS_MANAGER));

        assertThatThrownBy(() -> resolve(openai, 4.0)).isInstanceOf(RuntimeException.class);

        assertThat(faults.allFired()).isTrue();
        assertThat(committedMicros(openai)).isZero();
        assertThat(resolve(openai, 10.0)).as("the whole cap is there for the retried step").isInstanceOf(ResolveResult.Ok.class);
    }

    // ------------------------------------------------------------------ the cap and its one event

    @Test
    void anEstimateAboveTheWholeCapIsRefusedWithoutUsingTheMonthsCapEvent() throws Exception {
        grant(openai, "1");

        assertThat(resolve(openai, 5.0).toMap()).containsEntry("status", "denied").containsEntry("reason", "estimate_exceeds_cap");

        assertThat(capEventUsed(openai)).as("the month's cap event is still unused").isFalse();
        assertThat(committedMicros(openai)).isZero();
        assertThat(resolve(openai, 0.75)).isInstanceOf(ResolveResult.Ok.class);
        assertThat(resolve(openai, 0.5).toMap()).containsEntry("reason", "spend_cap_reached");
        assertThat(capEventUsed(openai)).as("used when the cap is really reached").isTrue();
    }

    @Test
    void aTransactionConflictBetweenConcurrentReservationsIsRetriedNotCountedAsTheCap() throws Exception {
        grant(openai, "10");
        faults.on(DYNAMODB, "TransactWriteItems").where(reservationOf(openai)).fail(TRANSACTION_CONFLICT, 2);

        ResolveResult result = resolve(openai, 1.0);

        assertThat(result).isInstanceOf(ResolveResult.Ok.class);
        assertThat(faults.injected(DYNAMODB, "TransactWriteItems")).isEqualTo(2);
        assertThat(committedMicros(openai)).as("reserved once").isEqualTo(1_000_000);
        assertThat(capEventUsed(openai)).isFalse();
    }

    @Test
    void conflictsThatOutlastTheRetriesFailTheResolveRatherThanDenyIt() throws Exception {
        grant(openai, "10");
        faults.on(DYNAMODB, "TransactWriteItems").where(reservationOf(openai)).fail(TRANSACTION_CONFLICT, 50);

        assertThatThrownBy(() -> resolve(openai, 1.0)).isInstanceOf(SpendLedger.ReservationContended.class);

        assertThat(faults.injected(DYNAMODB, "TransactWriteItems")).as("a bounded number of attempts").isEqualTo(5);
        assertThat(committedMicros(openai)).isZero();
        assertThat(capEventUsed(openai)).isFalse();
    }

    // ------------------------------------------------------------------ amounts JSON cannot hold

    @Test
    void aCapThatIsNotAFiniteDollarAmountIsA400NamingTheField() throws Exception {
        for (String cap : List.of("1e400", "-1e400", "1e308", "123456789012345678901234567890", "1000000.000001")) {
            APIGatewayV2HTTPEvent e = event("grant", openai.id());
            e.setBody("{\"workspaceId\": \"" + world.workspace + "\", \"monthlySpendCapUsd\": " + cap + "}");

            APIGatewayV2HTTPResponse response = handler.handleRequest(e, null);

            assertThat(response.getStatusCode()).as(cap).isEqualTo(400);
            assertThat(response.getBody()).as(cap).contains("\"field\":\"monthlySpendCapUsd\"");
        }
    }
}
