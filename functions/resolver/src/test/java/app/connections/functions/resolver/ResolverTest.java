package app.connections.functions.resolver;

import static org.assertj.core.api.Assertions.assertThat;

import app.connections.connection.Connection;
import app.connections.connection.ConnectionStatus;
import app.connections.connection.Target;
import app.connections.local.aws.BusTap;
import app.connections.local.aws.LocalAws;
import app.connections.local.aws.LocalAwsExtension;
import app.connections.oauth.CallbackResult;
import app.connections.oauth.ConnectFlow;
import app.connections.oauth.ConnectSession;
import app.connections.oauth.NewConnectSession;
import app.connections.platform.Json;
import app.connections.refresh.RefreshReason;
import app.connections.connection.Alerts;
import app.connections.testing.AwsCallCounter;
import app.connections.testing.OAuthWorld;
import app.connections.api.lambda.LocalLambdaContext;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

@ExtendWith(LocalAwsExtension.class)
class ResolverTest {
    private OAuthWorld world;
    private ResolverHandler handler;

    @BeforeEach
    void setUp(LocalAws local) throws Exception {
        world = new OAuthWorld(local, "ResolverFunction", Map.of());
        handler = new ResolverHandler(world.services.resolver(), world.services.grants());
    }

    @AfterEach
    void tearDown() {
        world.close();
    }

    private Map<String, Object> resolve(Connection c, String runId) throws Exception {
        return handler.handleRequest(resolveInput(c, runId), LocalLambdaContext.of("ResolverFunction"));
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> resolveInput(Connection c, String runId) throws Exception {
        Map<String, Object> input = new HashMap<>(Json.MAPPER.readValue(
                Files.readString(world.local.root().resolve("events/resolver/resolve.json")), Map.class));
        input.put("connectionId", c.id());
        input.put("accountId", world.account);
        input.put("workspaceId", world.workspace);
        input.put("runId", runId);
        return input;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> credential(Map<String, Object> result) {
        assertThat(result.get("status")).as(result.toString()).isEqualTo("ok");
        return (Map<String, Object>) result.get("credential");
    }

    @Test
    void anApiKeyConnectionResolvesToItsKeyAndFields() throws Exception {
        Connection c = world.apiKeyConnection("fd-runtime-key", Map.of("subdomain", "acme"));

        Map<String, Object> credential = credential(resolve(c, "run-1"));

        assertThat(credential).containsEntry("apiKey", "fd-runtime-key").containsEntry("fields", Map.of("subdomain", "acme"));
    }

    @Test
    void aHealthyOAuthConnectionResolvesToItsAccessTokenWithoutARefresh() throws Exception {
        Connection c = world.oauthConnection("acct-healthy", Duration.ofHours(1));

        Map<String, Object> credential = credential(resolve(c, "run-1"));

        assertThat(credential.get("accessToken")).isEqualTo(world.tokens(c).get("accessToken"));
        assertThat(credential).containsEntry("tokenType", "Bearer").containsKey("expiresAt");
        assertThat(world.provider.tokenCalls()).isZero();
    }

    @Test
    void aTokenInsideTheLeadWindowIsRefreshedBeforeItIsHandedOut() throws Exception {
        Connection c = world.oauthConnection("acct-expiring", Duration.ofMinutes(3));
        String old = world.tokens(c).get("accessToken");

        Map<String, Object> credential = credential(resolve(c, "run-1"));

        assertThat(credential.get("accessToken")).isNotEqualTo(old).isEqualTo(world.tokens(c).get("accessToken"));
        assertThat(world.provider.refreshCalls()).isEqualTo(1);
    }

    @Test
    void fiftyConcurrentResolvesOfOneExpiringConnectionMakeExactlyOneTokenCall() throws Exception {
        Connection c = world.oauthConnection("acct-busy", Duration.ofMinutes(1));
        world.provider.latency(Duration.ofMillis(300));
        List<Callable<Map<String, Object>>> resolves = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            String run = "run-" + i;
            resolves.add(() -> resolve(c, run));
        }

        List<Object> tokens = new ArrayList<>();
        try (var pool = Executors.newFixedThreadPool(50)) {
            for (Future<Map<String, Object>> f : pool.invokeAll(resolves)) {
                tokens.add(credential(f.get()).get("accessToken"));
            }
        }

        assertThat(world.provider.tokenCalls()).isEqualTo(1);
        assertThat(tokens).hasSize(50).containsOnly(world.tokens(c).get("accessToken"));
    }

    @Test
    void aBrokenConnectionParksTheRunAndTheReconnectResumesItExactlyOnce() throws Exception {
        Connection c = world.oauthConnection("acct-broken", Duration.ofMinutes(1));
        world.provider.revokeGrantsOf("acct-broken");
        BusTap tap = BusTap.on(world.local.stack(), "{\"source\":[\"app.connections\"],\"detail\":{\"connectionId\":[\"" + c.id() + "\"]}}");

        Map<String, Object> first = resolve(c, "run-1");
        Map<String, Object> second = resolve(c, "run-2");

        assertThat(first).containsEntry("status", "waiting").containsEntry("reason", "reauthorization_required");
        assertThat(second).containsEntry("status", "waiting");
        assertThat(world.reload(c).status()).isEqualTo(ConnectionStatus.ERROR);

        assertThat(reconnect(c)).isInstanceOf(CallbackResult.Connected.class);
        assertThat(reconnect(c)).as("a retried reconnect").isInstanceOf(CallbackResult.Connected.class);

        List<JsonNode> events = new ArrayList<>();
        for (String e : app.connections.testing.EventSchemas.valid(tap.drain())) {
            events.add(Json.MAPPER.readTree(e));
        }
        List<JsonNode> reauthorized = events.stream().filter(e -> e.path("detail-type").asText().equals("Connection Reauthorized")).toList();
        assertThat(reauthorized).hasSize(1);
        List<String> runs = new ArrayList<>();
        reauthorized.get(0).path("detail").path("parkedRuns").forEach(r -> runs.add(r.path("runId").asText()));
        assertThat(runs).containsExactlyInAnyOrder("run-1", "run-2");
        assertThat(events.stream().filter(e -> e.path("detail-type").asText().equals("Connection Reauthorization Required"))).hasSize(1);
        assertThat(credential(resolve(c, "run-3"))).containsKey("accessToken");
    }

    @Test
    void twoReconnectsOfTheSameAccountFinishingAtOnceResumeTheParkedRunInOneEvent() throws Exception {
        Connection c = world.oauthConnection("acct-twice", Duration.ofMinutes(1));
        world.provider.revokeGrantsOf("acct-twice");
        BusTap tap = BusTap.on(world.local.stack(), "{\"source\":[\"app.connections\"],\"detail\":{\"connectionId\":[\"" + c.id() + "\"]}}");
        assertThat(resolve(c, "run-7")).containsEntry("status", "waiting");
        ConnectFlow flow = world.services.connectFlow();
        // the user clicks Reconnect twice (or the builder retries): two popups, both consent as the same account
        Map<String, String> first = consentToReconnect(flow, c);
        Map<String, String> second = consentToReconnect(flow, c);

        List<CallbackResult> results = new ArrayList<>();
        try (var pool = Executors.newFixedThreadPool(2)) {
            List<Callable<CallbackResult>> callbacks = List.of(() -> completed(flow, first), () -> completed(flow, second));
            for (Future<CallbackResult> r : pool.invokeAll(callbacks)) {
                results.add(r.get());
            }
        }

        assertThat(results).allSatisfy(r -> assertThat(r).isEqualTo(new CallbackResult.Connected(c.id(), false)));
        assertThat(world.reload(c).status()).isEqualTo(ConnectionStatus.ACTIVE);
        List<JsonNode> reauthorized = new ArrayList<>();
        for (String e : app.connections.testing.EventSchemas.valid(tap.drain())) {
            JsonNode event = Json.MAPPER.readTree(e);
            if (event.path("detail-type").asText().equals("Connection Reauthorized")) {
                reauthorized.add(event);
            }
        }
        assertThat(reauthorized).singleElement().satisfies(e ->
                assertThat(e.path("detail").path("parkedRuns").findValuesAsText("runId")).containsExactly("run-7"));
        assertThat(credential(resolve(c, "run-8"))).containsKey("accessToken");
    }

    /** The connect flow in reconnect mode, consenting as the same external account at the provider. */
    private CallbackResult reconnect(Connection c) throws Exception {
        ConnectFlow flow = world.services.connectFlow();
        return completed(flow, consentToReconnect(flow, c));
    }

    /** The provider's redirect back, then the completion by the admin's page with the popup's one-time code. */
    private CallbackResult completed(ConnectFlow flow, Map<String, String> redirect) {
        CallbackResult result = flow.callback(redirect);
        if (!(result instanceof CallbackResult.Authorized authorized)) {
            return result;
        }
        return flow.complete(new ConnectFlow.Completer(world.account, world.admin().userId(), ConnectSession.Opener.BUILDER),
                Target.workspace(world.workspace), authorized.sessionId(), authorized.completionCode());
    }

    /** A reconnect session started and consented to: the parameters of the provider's redirect back. */
    private Map<String, String> consentToReconnect(ConnectFlow flow, Connection c) throws Exception {
        var session = flow.createSession(world.admin(), Target.workspace(world.workspace),
                new NewConnectSession(world.app, null, Map.of(), c.id()));
        URI consent = flow.start(session.id());
        world.provider.nextConsentAs(c.externalIdentity().orElseThrow());
        HttpResponse<Void> redirect = HttpClient.newHttpClient().send(HttpRequest.newBuilder(consent).build(),
                HttpResponse.BodyHandlers.discarding());
        URI back = URI.create(redirect.headers().firstValue("location").orElseThrow());
        Map<String, String> params = new HashMap<>();
        for (String pair : back.getRawQuery().split("&")) {
            String[] kv = pair.split("=", 2);
            params.put(kv[0], java.net.URLDecoder.decode(kv[1], java.nio.charset.StandardCharsets.UTF_8));
        }
        return params;
    }

    private static long secretReads() {
        return AwsCallCounter.count("SecretsManager", "GetSecretValue");
    }

    private static long decrypts() {
        return AwsCallCounter.count("Kms", "Decrypt");
    }

    @Test
    void aRunWithOneHundredStepsReadsAndDecryptsItsSecretOnce() throws Exception {
        Connection c = world.apiKeyConnection("fd-hundred-steps", Map.of("subdomain", "acme"));
        long reads = secretReads();
        long decrypts = decrypts();

        for (int step = 0; step < 100; step++) {
            assertThat(credential(resolve(c, "run-100"))).containsEntry("apiKey", "fd-hundred-steps");
        }

        assertThat(secretReads() - reads).as(AwsCallCounter.snapshot().toString()).isEqualTo(1);
        assertThat(decrypts() - decrypts).as(AwsCallCounter.snapshot().toString()).isEqualTo(1);
    }

    @Test
    void aRefreshedTokenIsHandedOutAtOnceNeverTheCachedOne() throws Exception {
        Connection c = world.oauthConnection("acct-cached", Duration.ofHours(1));
        String first = (String) credential(resolve(c, "run-1")).get("accessToken");
        assertThat(credential(resolve(c, "run-1")).get("accessToken")).isEqualTo(first);

        world.clock.advance(Duration.ofSeconds(11)); // past the rate guard
        world.services.tokenRefresher().refresh(c.id(), RefreshReason.ROTATION);

        String after = (String) credential(resolve(c, "run-1")).get("accessToken");
        assertThat(after).isNotEqualTo(first).isEqualTo(world.tokens(c).get("accessToken"));
    }

    @Test
    void aTokenTheRuntimeReportsRejectedIsRenewedOnceThoughItsExpirySaysItIsGood() throws Exception {
        Connection c = world.oauthConnection("acct-rejected", Duration.ofHours(1));
        String first = (String) credential(resolve(c, "run-1")).get("accessToken");
        world.clock.advance(Duration.ofSeconds(11));

        Map<String, Object> input = resolveInput(c, "run-1");
        input.put("credentialRejected", true);
        String renewed = (String) credential(handler.handleRequest(input, LocalLambdaContext.of("ResolverFunction"))).get("accessToken");
        String again = (String) credential(handler.handleRequest(input, LocalLambdaContext.of("ResolverFunction"))).get("accessToken");

        assertThat(renewed).isNotEqualTo(first);
        assertThat(again).as("a second report moments later: the rate guard holds, the renewed token is handed out")
                .isEqualTo(renewed);
        assertThat(world.provider.refreshCalls()).isEqualTo(1);
    }

    @Test
    void aTokenWithoutALifetimeIsHandedOutForDaysWithoutATokenRequest() throws Exception {
        Connection c = world.oauthConnection("acct-forever", Optional.empty(), Duration.ZERO);
        world.clock.advance(Duration.ofDays(3));

        Map<String, Object> credential = credential(resolve(c, "run-1"));

        assertThat(credential.get("accessToken")).isEqualTo(world.tokens(c).get("accessToken"));
        assertThat(credential).doesNotContainKey("expiresAt");
        assertThat(world.provider.tokenCalls()).isZero();
    }

    @Test
    void aMalformedRejectedFlagIsABadRequest() throws Exception {
        Connection c = world.oauthConnection("acct-flag", Duration.ofHours(1));
        Map<String, Object> input = resolveInput(c, "run-1");
        input.put("credentialRejected", "yes");

        assertThat(handler.handleRequest(input, LocalLambdaContext.of("ResolverFunction")))
                .containsEntry("status", "denied").containsEntry("reason", "bad_request");
    }

    @Test
    void aRevokedConnectionIsDeniedEvenWhileItsCredentialIsCached() throws Exception {
        Connection c = world.apiKeyConnection("fd-soon-revoked", Map.of("subdomain", "acme"));
        credential(resolve(c, "run-1"));

        world.store.update(world.reload(c).revoked("test", world.clock.instant()));

        assertThat(resolve(c, "run-1")).containsEntry("status", "denied").containsEntry("reason", "revoked");
    }

    @Test
    void aCachedCredentialIsReadAgainAfterItsMinute() throws Exception {
        Connection c = world.apiKeyConnection("fd-ttl", Map.of("subdomain", "acme"));
        credential(resolve(c, "run-1"));
        long reads = secretReads();

        world.clock.advance(Duration.ofSeconds(61));
        credential(resolve(c, "run-1"));

        assertThat(secretReads() - reads).isEqualTo(1);
    }

    @Test
    void snapStartPrimingSendsNothingToAwsAndLeavesNothingBehind() throws Exception {
        Map<String, String> env = new HashMap<>(world.local.environmentOf("ResolverFunction"));
        ResolverHandler runtimeHandler = app.connections.platform.Environment.with(env, ResolverHandler::new);
        Map<String, Long> before = AwsCallCounter.snapshot();

        var outcome = app.connections.api.lambda.Priming.runAll();

        assertThat(outcome.ran()).isPositive();
        assertThat(outcome.failed()).isZero();
        assertThat(AwsCallCounter.snapshot()).as("requests that reached AWS while priming").isEqualTo(before);
        Connection c = world.apiKeyConnection("fd-after-restore", Map.of("subdomain", "acme"));
        Map<String, Object> input = new HashMap<>(Map.of("connectionId", c.id(), "accountId", world.account,
                "workspaceId", world.workspace, "runId", "r", "stepId", "s"));
        assertThat(runtimeHandler.handleRequest(input, LocalLambdaContext.of("ResolverFunction")))
                .as("the primed handler still answers").containsEntry("status", "ok");
    }

    @Test
    void revokedOtherTenantsAndMalformedRequestsAreDenied() throws Exception {
        Connection revoked = world.apiKeyConnection("k1", Map.of("subdomain", "acme"));
        world.store.update(revoked.revoked("test", world.clock.instant()));
        Connection mine = world.apiKeyConnection("k2", Map.of("subdomain", "acme"));

        assertThat(resolve(revoked, "run-1")).containsEntry("status", "denied").containsEntry("reason", "revoked");
        Map<String, Object> otherWorkspace = new HashMap<>(Map.of("connectionId", mine.id(), "accountId", world.account,
                "workspaceId", "ws-globex", "runId", "r", "stepId", "s"));
        assertThat(handler.handleRequest(otherWorkspace, LocalLambdaContext.of("ResolverFunction"))).containsEntry("reason", "not_visible");
        Map<String, Object> otherAccount = new HashMap<>(otherWorkspace);
        otherAccount.put("workspaceId", world.workspace);
        otherAccount.put("accountId", "acct-someone-else");
        assertThat(handler.handleRequest(otherAccount, LocalLambdaContext.of("ResolverFunction"))).containsEntry("reason", "not_visible");
        assertThat(handler.handleRequest(Map.of("connectionId", mine.id()), LocalLambdaContext.of("ResolverFunction")))
                .containsEntry("status", "denied").containsEntry("reason", "bad_request");
    }

    @Test
    void everyResolveLeavesAnAuditRecordWithoutTheSecret() throws Exception {
        Connection c = world.apiKeyConnection("audit-marker-key", Map.of("subdomain", "acme"));

        resolve(c, "run-audited");

        var items = world.local.clients().dynamo().query(b -> b.tableName(world.config.tableName())
                .keyConditionExpression("pk = :pk AND begins_with(sk, :audit)")
                .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS("CONNECTION#" + c.id()),
                        ":audit", AttributeValue.fromS("AUDIT#")))).items();
        assertThat(items).singleElement().satisfies(item -> {
            assertThat(item.get("runId").s()).isEqualTo("run-audited");
            assertThat(item.get("outcome").s()).isEqualTo("ok");
            assertThat(item.toString()).doesNotContain("audit-marker-key");
        });
    }

    @Test
    void theBannerCountsTheWorkspacesBrokenConnectionsInTheProductsWords() throws Exception {
        Alerts alerts = world.services.alerts();
        assertThat(alerts.of(world.admin(), world.workspace).message()).isNull();
        List<Connection> broken = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Connection c = world.oauthConnection("acct-banner-" + i, Duration.ofHours(1));
            broken.add(world.store.update(c.markedError("invalid_grant", world.clock.instant())));
            if (i == 0) {
                Alerts.Banner one = alerts.of(world.admin(), world.workspace);
                assertThat(one.reauthorizationRequired()).isEqualTo(1);
                assertThat(one.message()).isEqualTo("A connection needs to be reauthorized");
            }
        }

        Alerts.Banner three = alerts.of(world.admin(), world.workspace);

        assertThat(three.reauthorizationRequired()).isEqualTo(3);
        assertThat(three.message()).isEqualTo("3 connections need to be reauthorized");
        assertThat(three.connections()).extracting(Alerts.Item::id)
                .containsExactlyInAnyOrderElementsOf(broken.stream().map(Connection::id).toList());
        world.store.update(world.reload(broken.get(0)).revoked("test", world.clock.instant()));
        assertThat(Json.MAPPER.writeValueAsString(alerts.of(world.admin(), world.workspace)))
                .contains("\"message\":\"2 connections need to be reauthorized\"");
    }
}
