package app.connections.functions.grants;

import static org.assertj.core.api.Assertions.assertThat;

import app.connections.connection.Connection;
import app.connections.connection.ConnectionStatus;
import app.connections.catalog.CredentialKind;
import app.connections.connection.Scope;
import app.connections.local.aws.BusTap;
import app.connections.local.aws.LocalAws;
import app.connections.local.aws.LocalAwsExtension;
import app.connections.local.aws.Template;
import app.connections.platform.Json;
import app.connections.resolve.ResolveRequest;
import app.connections.resolve.ResolveResult;
import app.connections.resolve.Resolver;
import app.connections.testing.EventSchemas;
import app.connections.testing.OAuthWorld;
import app.connections.vault.Credential;
import app.connections.workspace.Workspace;
import app.connections.workspace.aws.DynamoWorkspaceRegistry;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.InputStream;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(LocalAwsExtension.class)
class GrantsTest {
    private OAuthWorld world;
    private GrantsHandler handler;
    private Resolver resolver;
    private Connection openai;

    @BeforeEach
    void setUp(LocalAws local) throws Exception {
        world = new OAuthWorld(local, "GrantsFunction", Map.of());
        new DynamoWorkspaceRegistry(local.clients().dynamo(), world.config.tableName())
                .put(new Workspace("ws-globex", world.account, "Globex"));
        handler = new GrantsHandler(world.services.grants());
        resolver = world.services.resolver();
        openai = accountKey("openai", "Agency OpenAI");
    }

    @AfterEach
    void tearDown() {
        world.store.find(openai.id()).filter(c -> !c.isRevoked())
                .ifPresent(c -> world.store.update(c.revoked("test", world.clock.instant())));
        world.close();
    }

    private Connection accountKey(String app, String label) {
        Instant now = world.clock.instant();
        Connection c = Connection.create(UUID.randomUUID().toString(), world.account, Optional.empty(), Scope.ACCOUNT, app,
                label, CredentialKind.API_KEY, ConnectionStatus.ACTIVE, Map.of(), "owner", now);
        var ref = world.vault.create(OAuthWorld.owner(c), new Credential(Map.of("apiKey", "sk-" + label.hashCode())));
        return world.store.create(c.withCredential(Map.of(), ref, "hmac:" + c.id(), now));
    }

    private APIGatewayV2HTTPEvent event(String name, String connectionId) throws Exception {
        try (InputStream in = Files.newInputStream(world.local.root().resolve("events/grants/" + name + ".json"))) {
            APIGatewayV2HTTPEvent e = LambdaEventSerializers.serializerFor(APIGatewayV2HTTPEvent.class, getClass().getClassLoader()).fromJson(in);
            Map<String, String> params = new HashMap<>(e.getPathParameters());
            params.put("accountId", world.account);
            if (params.containsKey("connectionId")) {
                params.put("connectionId", connectionId);
            }
            e.setPathParameters(params);
            Map<String, String> claims = new HashMap<>(e.getRequestContext().getAuthorizer().getJwt().getClaims());
            claims.put("custom:account_id", world.account);
            e.getRequestContext().getAuthorizer().getJwt().setClaims(claims);
            return e;
        }
    }

    private APIGatewayV2HTTPResponse grant(String connectionId, String workspaceId, String cap) throws Exception {
        APIGatewayV2HTTPEvent e = event("grant", connectionId);
        e.setBody("{\"workspaceId\": \"" + workspaceId + "\"" + (cap == null ? "" : ", \"monthlySpendCapUsd\": " + cap) + "}");
        return handler.handleRequest(e, null);
    }

    private Map<String, Object> resolve(String workspaceId, Double estimate) {
        Map<String, Object> input = new HashMap<>(Map.of("connectionId", openai.id(), "accountId", world.account,
                "workspaceId", workspaceId, "runId", "run-" + UUID.randomUUID(), "stepId", "llm"));
        if (estimate != null) {
            input.put("estimatedCostUsd", estimate);
        }
        return ResolveRequest.parse(input).map(resolver::resolve).orElseGet(() -> new ResolveResult.Denied("bad_request")).toMap();
    }

    private List<String> picker(String workspaceId) {
        return world.store.picker(world.account, workspaceId, Optional.of("openai"), java.util.Set.of(), 25, Optional.empty())
                .items().stream().map(Connection::id).toList();
    }

    @Test
    void aGrantMakesTheKeyUsableInThatWorkspaceAndRevokingItRemovesItAtOnce() throws Exception {
        assertThat(picker("ws-acme")).isEmpty();
        assertThat(resolve("ws-acme", null)).containsEntry("reason", "not_visible");

        APIGatewayV2HTTPResponse granted = grant(openai.id(), "ws-acme", "50");

        assertThat(granted.getStatusCode()).as(granted.getBody()).isEqualTo(201);
        assertThat(picker("ws-acme")).containsExactly(openai.id());
        assertThat(picker("ws-globex")).isEmpty();
        assertThat(resolve("ws-acme", 0.5)).containsEntry("status", "ok").containsKey("reservationId");
        assertThat(resolve("ws-globex", 0.5)).containsEntry("reason", "not_visible");

        APIGatewayV2HTTPResponse revoked = handler.handleRequest(event("revoke-grant", openai.id()), null);

        assertThat(revoked.getStatusCode()).isEqualTo(200);
        assertThat(picker("ws-acme")).isEmpty();
        assertThat(resolve("ws-acme", 0.5)).containsEntry("reason", "not_visible");
    }

    @Test
    void aGrantedKeyInThePickerFollowsRenamesAndRevocation() throws Exception {
        grant(openai.id(), "ws-acme", null);
        // the service's store keeps the grants' copies current (the world's own store, for set-up, does not)
        var dynamo = world.local.clients().dynamo();
        var serviceStore = new app.connections.connection.aws.DynamoConnectionStore(dynamo, world.config.tableName(),
                new app.connections.grant.aws.GrantItems(dynamo, world.config.tableName()));
        serviceStore.update(world.reload(openai).withLabel("Renamed OpenAI", world.clock.instant()));

        var listed = world.store.picker(world.account, "ws-acme", Optional.of("openai"), java.util.Set.of(), 25, Optional.empty()).items();
        assertThat(listed).singleElement().satisfies(c -> {
            assertThat(c.label()).isEqualTo("Renamed OpenAI");
            assertThat(c.scope()).isEqualTo(Scope.ACCOUNT);
            assertThat(c.secretRef()).isEmpty();
        });
        serviceStore.update(world.reload(openai).revoked("test", world.clock.instant()));
        assertThat(picker("ws-acme")).isEmpty();
    }

    /** The grant item's copy of the connection as the workspace's picker reads it. */
    private Map<String, software.amazon.awssdk.services.dynamodb.model.AttributeValue> copyIn(String workspaceId) {
        return world.local.clients().dynamo().getItem(b -> b.tableName(world.config.tableName()).consistentRead(true)
                .key(app.connections.grant.aws.GrantItems.key(openai.id(), workspaceId))).item();
    }

    @Test
    void revokingAGrantedAccountKeyShowsItRevokedInEveryGrantedWorkspaceAtOnce() throws Exception {
        grant(openai.id(), "ws-acme", "50");
        grant(openai.id(), "ws-globex", null);
        assertThat(picker("ws-acme")).containsExactly(openai.id());
        assertThat(picker("ws-globex")).containsExactly(openai.id());

        world.services.revocations().revoke(world.reload(openai), "revoked_by_user");

        for (String ws : List.of("ws-acme", "ws-globex")) {
            assertThat(picker(ws)).as(ws + "'s picker").isEmpty();
            assertThat(copyIn(ws).get("status").s()).as(ws + "'s copy").isEqualTo("REVOKED");
            assertThat(resolve(ws, 0.5)).containsEntry("status", "denied");
        }
    }

    @Test
    void aGrantPutRacingTheRevokeCannotResurrectAnActiveCopy() throws Exception {
        grant(openai.id(), "ws-acme", "50");
        Connection readBeforeTheRevoke = world.reload(openai);
        world.services.revocations().revoke(readBeforeTheRevoke, "revoked_by_user");
        var grants = new app.connections.grant.aws.DynamoGrantStore(world.local.clients().dynamo(), world.config.tableName());
        Instant now = world.clock.instant();

        for (String ws : List.of("ws-acme", "ws-globex")) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> grants.put(new app.connections.grant.Grant(openai.id(),
                    world.account, ws, Optional.of(1_000_000L), now, now), readBeforeTheRevoke))
                    .as("a copy of the ACTIVE connection, written after the revoke").isInstanceOf(app.connections.platform.StaleVersion.class);
        }
        assertThat(copyIn("ws-acme").get("status").s()).isEqualTo("REVOKED");
        assertThat(copyIn("ws-globex")).as("no grant made from the stale copy").isNullOrEmpty();
        assertThat(picker("ws-acme")).isEmpty();
        assertThat(picker("ws-globex")).isEmpty();
        APIGatewayV2HTTPResponse again = grant(openai.id(), "ws-globex", null);
        assertThat(again.getStatusCode()).isEqualTo(409);
        assertThat(again.getBody()).contains("connection_revoked");
    }

    @Test
    void grantingAgainUpdatesTheCapAndWorkspaceScopedOrForeignTargetsAreRefused() throws Exception {
        assertThat(grant(openai.id(), "ws-acme", "50").getStatusCode()).isEqualTo(201);
        APIGatewayV2HTTPResponse again = grant(openai.id(), "ws-acme", "75");
        assertThat(again.getStatusCode()).isEqualTo(200);
        assertThat(Json.MAPPER.readTree(again.getBody()).path("monthlySpendCapUsd").decimalValue()).isEqualByComparingTo("75");

        assertThat(grant(openai.id(), "ws-of-another-account", "10").getStatusCode()).isEqualTo(404);
        Connection own = world.apiKeyConnection("k", Map.of("subdomain", "acme"));
        APIGatewayV2HTTPResponse workspaceScoped = grant(own.id(), "ws-globex", null);
        assertThat(workspaceScoped.getStatusCode()).isEqualTo(409);
        assertThat(workspaceScoped.getBody()).contains("workspace_scoped");
        APIGatewayV2HTTPResponse negative = grant(openai.id(), "ws-acme", "-1");
        assertThat(negative.getStatusCode()).isEqualTo(400);
        assertThat(negative.getBody()).contains("\"field\":\"monthlySpendCapUsd\"");
    }

    @Test
    void aHundredConcurrentOneDollarRunsAgainstAFiftyDollarCapGetExactlyFifty() throws Exception {
        grant(openai.id(), "ws-acme", "50");
        BusTap tap = BusTap.on(world.local.stack(), "{\"source\":[\"app.connections\"],\"detail-type\":[\"Grant Spend Cap Reached\"],\"detail\":{\"connectionId\":[\"" + openai.id() + "\"]}}");
        List<Callable<Map<String, Object>>> runs = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            runs.add(() -> resolve("ws-acme", 1.0));
        }

        int ok = 0;
        int denied = 0;
        try (var pool = Executors.newFixedThreadPool(32)) {
            for (Future<Map<String, Object>> f : pool.invokeAll(runs)) {
                Map<String, Object> r = f.get();
                if ("ok".equals(r.get("status"))) {
                    ok++;
                } else {
                    assertThat(r).containsEntry("reason", "spend_cap_reached").doesNotContainKey("credential");
                    denied++;
                }
            }
        }

        assertThat(ok).isEqualTo(50);
        assertThat(denied).isEqualTo(50);
        JsonNode grants = Json.MAPPER.readTree(handler.handleRequest(event("list-grants", openai.id()), null).getBody());
        assertThat(grants.path("grants").get(0).path("remainingUsd").decimalValue()).isEqualByComparingTo("0");
        assertThat(EventSchemas.valid(tap.drain())).as("one cap event per grant and month").hasSize(1);
    }

    @Test
    void settlingReplacesTheReservationWithTheActualCostAndCountsOnce() throws Exception {
        grant(openai.id(), "ws-acme", "50");
        String reservation = (String) resolve("ws-acme", 5.0).get("reservationId");
        var grants = world.services.grants();

        assertThat(grants.settle(reservation, 3_000_000)).hasToString("SETTLED");
        assertThat(grants.settle(reservation, 3_000_000)).hasToString("ALREADY_SETTLED");
        assertThat(grants.settle("forged-reservation", 1)).hasToString("UNKNOWN");

        JsonNode g = Json.MAPPER.readTree(handler.handleRequest(event("list-grants", openai.id()), null).getBody()).path("grants").get(0);
        assertThat(g.path("monthToDateSpendUsd").decimalValue()).isEqualByComparingTo("3");
        assertThat(g.path("remainingUsd").decimalValue()).isEqualByComparingTo("47");
    }

    @Test
    void anUnsettledReservationExpiresAndIsReleasedWithoutTtl() throws Exception {
        grant(openai.id(), "ws-acme", "50");
        assertThat(resolve("ws-acme", 40.0)).containsEntry("status", "ok");
        assertThat(resolve("ws-acme", 20.0)).containsEntry("reason", "spend_cap_reached");

        world.clock.advance(Duration.ofMinutes(16));

        assertThat(resolve("ws-acme", 20.0)).containsEntry("status", "ok");
    }

    @Test
    void aNewUtcMonthStartsFromZero() throws Exception {
        grant(openai.id(), "ws-acme", "1");
        assertThat(resolve("ws-acme", 1.0)).containsEntry("status", "ok");
        assertThat(resolve("ws-acme", 0.01)).containsEntry("reason", "spend_cap_reached");

        world.clock.advance(Duration.ofDays(32));

        assertThat(resolve("ws-acme", 1.0)).containsEntry("status", "ok");
    }

    @Test
    void badAmountsAreRefused() throws Exception {
        grant(openai.id(), "ws-acme", "50");
        for (Object bad : new Object[] {-1.0, Double.NaN, Double.POSITIVE_INFINITY, "5", 2e12}) {
            Map<String, Object> input = new HashMap<>(Map.of("connectionId", openai.id(), "accountId", world.account,
                    "workspaceId", "ws-acme", "runId", "r", "stepId", "s", "estimatedCostUsd", bad));
            assertThat(ResolveRequest.parse(input)).as(String.valueOf(bad)).isEmpty();
        }
        assertThat(app.connections.grant.SettleRequest.parse(Map.of("reservationId", "x", "actualCostUsd", -3))).isEmpty();
    }

    @Test
    void theLlmKeysPageShowsEachModelKeyWithItsGrantsAndSpend() throws Exception {
        grant(openai.id(), "ws-acme", "50");
        grant(openai.id(), "ws-globex", "10");
        String reservation = (String) resolve("ws-acme", 2.0).get("reservationId");
        world.services.grants().settle(reservation, 1_500_000);

        APIGatewayV2HTTPResponse page = handler.handleRequest(event("llm-keys", null), null);

        assertThat(page.getStatusCode()).isEqualTo(200);
        JsonNode key = Json.MAPPER.readTree(page.getBody()).path("llmKeys").get(0);
        assertThat(key.path("connection").path("id").asText()).isEqualTo(openai.id());
        Map<String, JsonNode> byWorkspace = new HashMap<>();
        key.path("grants").forEach(g -> byWorkspace.put(g.path("workspaceId").asText(), g));
        assertThat(byWorkspace.get("ws-acme").path("monthToDateSpendUsd").decimalValue()).isEqualByComparingTo("1.5");
        assertThat(byWorkspace.get("ws-acme").path("remainingUsd").decimalValue()).isEqualByComparingTo("48.5");
        assertThat(byWorkspace.get("ws-globex").path("monthlySpendCapUsd").decimalValue()).isEqualByComparingTo("10");
        assertThat(page.getBody()).doesNotContain("sk-");

        APIGatewayV2HTTPEvent asMember = event("llm-keys", null);
        asMember.getRequestContext().getAuthorizer().getJwt().getClaims().put("custom:account_role", "member");
        assertThat(handler.handleRequest(asMember, null).getStatusCode()).isEqualTo(403);
    }

    @Test
    void theHandlerAnswersExactlyTheRoutesTheTemplateGivesIt() {
        Template.Function function = world.local.function("GrantsFunction");

        assertThat(handler.routes().keys()).containsExactlyInAnyOrderElementsOf(
                function.routes().stream().map(Template.HttpRoute::routeKey).toList());
    }
}
