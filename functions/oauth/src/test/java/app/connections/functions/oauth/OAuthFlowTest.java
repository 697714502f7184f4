package app.connections.functions.oauth;

import app.connections.refresh.RefreshOutcome;
import app.connections.refresh.RefreshReason;
import static org.assertj.core.api.Assertions.assertThat;

import app.connections.connection.Connection;
import app.connections.connection.ConnectionStatus;
import app.connections.connection.aws.DynamoConnectionStore;
import app.connections.local.aws.BusTap;
import app.connections.local.aws.LocalAws;
import app.connections.local.aws.LocalAwsExtension;
import app.connections.local.aws.Template;
import app.connections.platform.aws.AwsClients;
import app.connections.vault.SecretOwner;
import app.connections.vault.aws.SecretsManagerVault;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

@ExtendWith(LocalAwsExtension.class)
class OAuthFlowTest {
    static final String DEMO = "{\"app\": \"demo\", \"label\": \"Demo CRM\"}";
    private OAuthFixture f;
    private DynamoConnectionStore store;

    @BeforeEach
    void setUp(LocalAws local) throws Exception {
        f = new OAuthFixture(local);
        store = new DynamoConnectionStore(new AwsClients().dynamo(), f.config.tableName());
    }

    @AfterEach
    void tearDown() {
        f.close();
    }

    private Connection connection(String id) {
        return store.find(id).orElseThrow();
    }

    /** Taps this test account's events on the bus. */
    private BusTap tap() {
        return BusTap.on(f.local.stack(), "{\"source\":[\"app.connections\"],\"detail\":{\"accountId\":[\"" + f.account + "\"]}}");
    }

    /** The detail types published since the tap started (schema-checked). */
    private static List<String> eventTypes(BusTap tap) throws Exception {
        return app.connections.testing.EventSchemas.detailTypes(tap);
    }

    /** What the builder's picker shows in ws-acme for the demo app. */
    private List<Connection> visible() {
        return store.picker(f.account, "ws-acme", Optional.of("demo"), Set.of(), 50, Optional.empty()).items();
    }

    /** Every connection record of this account, PENDING ones included (a table scan, tests only). */
    private List<Map<String, AttributeValue>> connectionRecords() {
        return f.local.stack().clients().dynamo().scanPaginator(b -> b.tableName(f.config.tableName())
                        .filterExpression("accountId = :a AND sk = :c")
                        .expressionAttributeValues(Map.of(":a", AttributeValue.fromS(f.account), ":c", AttributeValue.fromS("CONNECTION"))))
                .items().stream().toList();
    }

    private int secretVersions(Connection c) {
        return f.local.stack().clients().secrets().listSecretVersionIds(b -> b.secretId(c.secretRef().orElseThrow().id())
                .includeDeprecated(true)).versions().size();
    }

    @Test
    void aConnectSessionIsShortLivedAndPointsThePopupAtOurStartRoute() throws Exception {
        JsonNode session = f.createSession(DEMO);

        assertThat(session.path("authorizeUrl").asText())
                .isEqualTo("http://127.0.0.1:9/oauth/start?session=" + session.path("sessionId").asText());
        assertThat(java.time.Instant.parse(session.path("expiresAt").asText()))
                .isBeforeOrEqualTo(f.clock.instant().plus(Duration.ofMinutes(10)));
    }

    @Test
    void startRedirectsToTheConsentScreenWithStatePkceAndScopesAndRecordsAPendingConnection() throws Exception {
        String session = f.createSession(DEMO).path("sessionId").asText();

        APIGatewayV2HTTPResponse start = f.start(session);

        assertThat(start.getStatusCode()).isEqualTo(302);
        URI consent = URI.create(start.getHeaders().get("location"));
        Map<String, String> q = OAuthFixture.query(consent);
        assertThat(consent.toString()).startsWith(f.issuer + "/authorize?");
        assertThat(q).containsEntry("response_type", "code").containsEntry("client_id", "connections-demo")
                .containsEntry("redirect_uri", "http://127.0.0.1:9/oauth/callback")
                .containsEntry("scope", "openid offline_access").containsEntry("code_challenge_method", "S256");
        assertThat(q.get("state")).hasSize(43);
        assertThat(q.get("code_challenge")).hasSize(43);
        assertThat(f.start(session).getStatusCode()).as("a session opens once").isEqualTo(400);
    }

    @Test
    void theFullFlowConnectsTheAccountStoresItsTokensAndReportsToTheBuilder() throws Exception {
        BusTap tap = BusTap.on(f.local.stack(), "{\"source\":[\"app.connections\"],\"detail\":{\"accountId\":[\"" + f.account + "\"]}}");

        String session = f.createSession(DEMO).path("sessionId").asText();
        APIGatewayV2HTTPResponse page = f.callback(f.consent(f.start(session).getHeaders().get("location"), "alice"));

        assertThat(page.getStatusCode()).isEqualTo(200);
        JsonNode posted = OAuthFixture.message(page);
        assertThat(posted.path("type").asText()).isEqualTo("connections:oauth");
        assertThat(posted.path("status").asText()).isEqualTo("authorized");
        assertThat(posted.path("sessionId").asText()).isEqualTo(session);
        assertThat(posted.path("completionCode").asText()).hasSize(43);
        assertThat(page.getBody()).contains("postMessage(m,\"https://builder.test\")").doesNotContain("\"*\"");
        assertThat(page.getHeaders()).containsEntry("referrer-policy", "no-referrer").containsEntry("cache-control", "no-store");
        assertThat(page.getHeaders().get("content-security-policy")).startsWith("default-src 'none'; script-src 'nonce-");
        assertThat(connectionRecords()).as("nothing but the PENDING record before the creator completes")
                .allSatisfy(item -> assertThat(item.get("status").s()).isEqualTo("PENDING"));

        APIGatewayV2HTTPResponse completed = f.completeFrom(page);

        assertThat(completed.getStatusCode()).isEqualTo(200);
        JsonNode message = OAuthFixture.message(completed);
        assertThat(message.path("status").asText()).isEqualTo("success");

        Connection c = connection(message.path("connectionId").asText());
        assertThat(c.status()).isEqualTo(ConnectionStatus.ACTIVE);
        assertThat(c.label()).isEqualTo("Demo CRM");
        assertThat(c.authorizedBy()).contains("acme-admin");
        assertThat(c.externalIdentity()).contains("alice");
        assertThat(c.externalAccount()).as("the account as people see it: the id_token's sub here").contains("alice");
        var vault = new SecretsManagerVault(new AwsClients().secrets(), new AwsClients().kms(), f.config.kmsKeyId(), f.config.secretNamePrefix());
        var tokens = vault.read(c.secretRef().orElseThrow(), new SecretOwner(c.accountId(), c.workspaceId(), c.id(), c.app()));
        assertThat(tokens.get("accessToken")).isNotBlank();
        assertThat(tokens.get("refreshToken")).isNotBlank();
        assertThat(tokens.get("expiresAt")).isNotBlank();
        assertThat(tokens.get("tokenType")).isEqualToIgnoringCase("Bearer");
        assertThat(page.getBody()).doesNotContain(tokens.get("accessToken"));
        assertThat(app.connections.testing.EventSchemas.valid(tap.drain())).anySatisfy(e -> assertThat(e).contains("\"Connection Created\"").contains(c.id())
                .doesNotContain(tokens.get("accessToken")));
    }

    @Test
    void aConnectionMadeOnTheRealServerIsRefreshedWithItsRefreshTokenBeforeItExpires() throws Exception {
        String id = OAuthFixture.message(f.connect(DEMO, "zoe")).path("connectionId").asText();
        Connection before = connection(id);
        var refresher = f.services.tokenRefresher();
        var vault = new SecretsManagerVault(new AwsClients().secrets(), new AwsClients().kms(), f.config.kmsKeyId(), f.config.secretNamePrefix());
        SecretOwner owner = new SecretOwner(before.accountId(), before.workspaceId(), id, before.app());
        String oldAccess = vault.read(before.secretRef().orElseThrow(), owner).get("accessToken");

        assertThat(refresher.refresh(id, RefreshReason.SCHEDULE)).as("not due yet").isInstanceOf(RefreshOutcome.NotDue.class);
        f.clock.advance(Duration.between(f.clock.instant(), before.tokenSchedule().orElseThrow().expiresAt().orElseThrow())
                .minusMinutes(5));

        assertThat(refresher.refresh(id, RefreshReason.SCHEDULE)).isInstanceOf(RefreshOutcome.Refreshed.class);
        Connection after = connection(id);
        assertThat(vault.read(after.secretRef().orElseThrow(), owner).get("accessToken")).isNotEqualTo(oldAccess);
        assertThat(after.tokenSchedule().orElseThrow().expiresAt().orElseThrow())
                .isAfter(before.tokenSchedule().orElseThrow().expiresAt().orElseThrow());
        assertThat(after.status()).isEqualTo(ConnectionStatus.ACTIVE);
    }

    @Test
    void connectingTheSameAccountTwiceKeepsOneConnection() throws Exception {
        BusTap tap = tap();
        String first = OAuthFixture.message(f.connect(DEMO, "bob")).path("connectionId").asText();

        String second = OAuthFixture.message(f.connect("{\"app\": \"demo\", \"label\": \"Again\"}", "bob")).path("connectionId").asText();

        assertThat(second).isEqualTo(first);
        assertThat(connection(first).label()).isEqualTo("Demo CRM");
        assertThat(visible()).extracting(Connection::id).containsExactly(first);
        assertThat(connectionRecords()).as("the second popup's PENDING record is gone").hasSize(1);
        assertThat(secretVersions(connection(first))).as("the second consent brought new tokens: one change").isEqualTo(2);
        assertThat(eventTypes(tap)).containsExactly("Connection Created");
    }

    @Test
    void aCallbackDeliveredTwiceAtOnceConnectsOnceWithOneSecretVersionAndOneEvent() throws Exception {
        BusTap tap = tap();
        String session = f.createSession(DEMO).path("sessionId").asText();
        Map<String, String> redirect = f.consent(f.start(session).getHeaders().get("location"), "olga");

        List<JsonNode> pages = new ArrayList<>();
        try (var pool = Executors.newFixedThreadPool(2)) {
            List<Callable<JsonNode>> deliveries = List.of(() -> OAuthFixture.message(f.callback(redirect)),
                    () -> OAuthFixture.message(f.callback(redirect)));
            for (Future<JsonNode> page : pool.invokeAll(deliveries)) {
                pages.add(page.get());
            }
        }
        pages.add(OAuthFixture.message(f.callback(redirect))); // and once more, later

        assertThat(pages).extracting(p -> p.path("status").asText()).containsExactlyInAnyOrder("authorized", "error", "error");
        assertThat(pages).extracting(p -> p.path("error").asText()).containsOnly("", "invalid_state");
        JsonNode authorized = pages.stream().filter(p -> p.has("completionCode")).findFirst().orElseThrow();
        Connection c = connection(OAuthFixture.message(f.complete(authorized.path("sessionId").asText(),
                authorized.path("completionCode").asText(), "acme-admin", "ws-acme")).path("connectionId").asText());
        assertThat(visible()).extracting(Connection::id).containsExactly(c.id());
        assertThat(connectionRecords()).hasSize(1);
        assertThat(secretVersions(c)).isEqualTo(1);
        assertThat(eventTypes(tap)).containsExactly("Connection Created");
    }

    @Test
    void aRetriedConnectSessionCreateShowsNothingPublishesNothingAndTheAccountIsConnectedOnce() throws Exception {
        BusTap tap = tap();
        JsonNode first = f.createSession(DEMO);

        JsonNode retried = f.createSession(DEMO); // the builder retries the same POST (timeout, double click)

        assertThat(retried.path("sessionId").asText()).isNotEqualTo(first.path("sessionId").asText());
        assertThat(connectionRecords()).as("a session is invisible until its popup starts").isEmpty();
        assertThat(eventTypes(tap)).isEmpty();

        JsonNode connected = OAuthFixture.message(f.finish(first.path("sessionId").asText(), "paula"));
        assertThat(connected.path("status").asText()).isEqualTo("success");
        // even if the builder also opened the retried session, the same account lands on the same connection
        JsonNode again = OAuthFixture.message(f.finish(retried.path("sessionId").asText(), "paula"));

        assertThat(again.path("connectionId").asText()).isEqualTo(connected.path("connectionId").asText());
        assertThat(visible()).hasSize(1);
        assertThat(connectionRecords()).hasSize(1);
        assertThat(eventTypes(tap)).containsExactly("Connection Created");
    }

    @Test
    void theUserDenyingConsentReportsAccessDeniedAndLeavesNothing() throws Exception {
        String session = f.createSession(DEMO).path("sessionId").asText();
        Map<String, String> q = OAuthFixture.query(URI.create(f.start(session).getHeaders().get("location")));
        String pending = f.local.stack().clients().dynamo().getItem(b -> b.tableName(f.config.tableName())
                .key(Map.of("pk", software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromS("SESSION#" + session),
                        "sk", software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromS("SESSION"))))
                .item().get("pendingConnectionId").s();
        assertThat(connection(pending).status()).isEqualTo(ConnectionStatus.PENDING);

        APIGatewayV2HTTPResponse page = f.callback(Map.of("error", "access_denied", "state", q.get("state")));

        assertThat(page.getStatusCode()).isEqualTo(400);
        assertThat(OAuthFixture.message(page).path("error").asText()).isEqualTo("access_denied");
        assertThat(store.find(pending)).isEmpty();
    }

    @Test
    void aReplayedStateIsRefusedWithoutCallingTheTokenEndpoint() throws Exception {
        String session = f.createSession(DEMO).path("sessionId").asText();
        Map<String, String> redirect = f.consent(f.start(session).getHeaders().get("location"), "carol");
        assertThat(OAuthFixture.message(f.callback(redirect)).path("status").asText()).isEqualTo("authorized");

        APIGatewayV2HTTPResponse replay = f.callback(redirect);

        // had the replay reached the token endpoint, the used code would fail there as token_exchange_failed
        assertThat(OAuthFixture.message(replay).path("error").asText()).isEqualTo("invalid_state");
    }

    @Test
    void anUnknownOrMissingStateIsRefused() throws Exception {
        assertThat(OAuthFixture.message(f.callback(Map.of("code", "x", "state", "forged-state"))).path("error").asText())
                .isEqualTo("invalid_state");
        assertThat(OAuthFixture.message(f.callback(Map.of("code", "x"))).path("error").asText()).isEqualTo("invalid_state");
    }

    @Test
    void aCodeDeliveredWithAnotherSessionsStateFailsBecausePkceBindsTheCodeToItsSession() throws Exception {
        String victim = f.createSession(DEMO).path("sessionId").asText();
        String attacker = f.createSession(DEMO).path("sessionId").asText();
        Map<String, String> victimRedirect = f.consent(f.start(victim).getHeaders().get("location"), "dave");
        Map<String, String> attackerRedirect = OAuthFixture.query(URI.create(f.start(attacker).getHeaders().get("location")));

        Map<String, String> swapped = new HashMap<>(victimRedirect);
        swapped.put("state", attackerRedirect.get("state"));
        APIGatewayV2HTTPResponse page = f.completeFrom(f.callback(swapped));

        assertThat(OAuthFixture.message(page).path("error").asText()).isEqualTo("token_exchange_failed");
    }

    @Test
    void anExpiredSessionCannotStartNorComplete() throws Exception {
        String unopened = f.createSession(DEMO).path("sessionId").asText();
        String opened = f.createSession(DEMO).path("sessionId").asText();
        Map<String, String> redirect = f.consent(f.start(opened).getHeaders().get("location"), "erin");

        f.clock.advance(Duration.ofMinutes(11));

        assertThat(OAuthFixture.message(f.start(unopened)).path("error").asText()).isEqualTo("session_expired");
        assertThat(OAuthFixture.message(f.callback(redirect)).path("error").asText()).isEqualTo("invalid_state");
    }

    @Test
    void anAuthorizationResponseFromAnotherIssuerIsRefused() throws Exception {
        String session = f.createSession(DEMO).path("sessionId").asText();
        Map<String, String> redirect = new HashMap<>(f.consent(f.start(session).getHeaders().get("location"), "frank"));
        redirect.put("iss", "https://evil.example");

        assertThat(OAuthFixture.message(f.callback(redirect)).path("error").asText()).isEqualTo("issuer_mismatch");
    }

    @Test
    void aTamperedPkceVerifierIsRefusedByTheProvider() throws Exception {
        String session = f.createSession(DEMO).path("sessionId").asText();
        Map<String, String> redirect = f.consent(f.start(session).getHeaders().get("location"), "grace");
        var dynamo = f.local.stack().clients().dynamo();
        dynamo.updateItem(b -> b.tableName(f.config.tableName())
                .key(Map.of("pk", software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromS("SESSION#" + session),
                        "sk", software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromS("SESSION")))
                .updateExpression("SET codeVerifier = :v")
                .expressionAttributeValues(Map.of(":v", software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromS(
                        app.connections.oauth.Pkce.randomToken()))));

        assertThat(OAuthFixture.message(f.completeFrom(f.callback(redirect))).path("error").asText()).isEqualTo("token_exchange_failed");
    }

    @Test
    void aTokenEndpointFailureIsReportedAndLeavesNoConnection() throws Exception {
        APIGatewayV2HTTPResponse page = f.connect("{\"app\": \"failing\"}", "heidi");

        assertThat(OAuthFixture.message(page).path("error").asText()).isEqualTo("token_exchange_failed");
        assertThat(page.getBody()).doesNotContain("client-secret");
        assertThat(f.connectionItems()).as("no connection, not even the PENDING one").isEmpty();
        assertThat(f.secretsOfAccount()).as("no secret").isEmpty();
    }

    @Test
    void reconnectingWithADifferentAccountIsRefusedAndChangesNothing() throws Exception {
        String id = OAuthFixture.message(f.connect(DEMO, "ivan")).path("connectionId").asText();
        Connection before = connection(id);

        APIGatewayV2HTTPResponse page = f.connect("{\"app\": \"demo\", \"reconnectConnectionId\": \"" + id + "\"}", "judy");

        assertThat(OAuthFixture.message(page).path("error").asText()).isEqualTo("identity_mismatch");
        Connection after = connection(id);
        assertThat(after.version()).isEqualTo(before.version());
        assertThat(after.externalIdentity()).contains("ivan");
    }

    @Test
    void reconnectingTheSameAccountUpdatesTheConnectionInPlace() throws Exception {
        BusTap tap = tap();
        String id = OAuthFixture.message(f.connect(DEMO, "ken")).path("connectionId").asText();
        String reconnect = "{\"app\": \"demo\", \"reconnectConnectionId\": \"" + id + "\"}";

        APIGatewayV2HTTPResponse page = f.connect(reconnect, "ken");
        APIGatewayV2HTTPResponse retried = f.connect(reconnect, "ken");

        assertThat(OAuthFixture.message(page).path("connectionId").asText()).isEqualTo(id);
        assertThat(OAuthFixture.message(retried).path("connectionId").asText()).isEqualTo(id);
        assertThat(connection(id).status()).isEqualTo(ConnectionStatus.ACTIVE);
        assertThat(connectionRecords()).hasSize(1);
        assertThat(secretVersions(connection(id))).as("each consent's new tokens, once").isEqualTo(3);
        assertThat(eventTypes(tap)).as("an ACTIVE connection reconnected is not news").containsExactly("Connection Created");
    }

    @Test
    void twoReconnectsOfABrokenConnectionFinishingAtOnceAnnounceItOnce() throws Exception {
        String id = OAuthFixture.message(f.connect(DEMO, "lena")).path("connectionId").asText();
        store.update(connection(id).markedError("invalid_grant", f.clock.instant())); // as the refresher leaves it
        BusTap tap = tap();
        String reconnect = "{\"app\": \"demo\", \"reconnectConnectionId\": \"" + id + "\"}";
        // Reconnect clicked twice (or retried by the builder): two popups, both consent as the same account
        List<Map<String, String>> redirects = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            String session = f.createSession(reconnect).path("sessionId").asText();
            redirects.add(f.consent(f.start(session).getHeaders().get("location"), "lena"));
        }

        List<JsonNode> pages = new ArrayList<>();
        try (var pool = Executors.newFixedThreadPool(2)) {
            List<Callable<JsonNode>> callbacks = redirects.stream()
                    .<Callable<JsonNode>>map(r -> () -> OAuthFixture.message(f.completeFrom(f.callback(r)))).toList();
            for (Future<JsonNode> page : pool.invokeAll(callbacks)) {
                pages.add(page.get());
            }
        }

        assertThat(pages).allSatisfy(p -> assertThat(p.path("connectionId").asText()).as(p.toString()).isEqualTo(id));
        assertThat(connection(id).status()).isEqualTo(ConnectionStatus.ACTIVE);
        assertThat(connectionRecords()).hasSize(1);
        assertThat(eventTypes(tap)).containsExactly("Connection Reauthorized");
    }

    @Test
    void aSessionForAnAppWithoutOAuthOrAnotherWorkspaceIsRefused() throws Exception {
        var event = f.event("create-connect-session");
        event.setBody("{\"app\": \"stripe\"}");
        assertThat(f.handler.handleRequest(event, null).getStatusCode()).isEqualTo(400);
        event = f.event("create-connect-session");
        event.getRequestContext().getAuthorizer().getJwt().getClaims().put("custom:workspace_roles", "ws-acme:editor");
        event.setBody(DEMO);
        assertThat(f.handler.handleRequest(event, null).getStatusCode()).isEqualTo(403);
        event = f.event("create-connect-session");
        event.getRequestContext().getAuthorizer().getJwt().getClaims().put("custom:account_id", "acct-other");
        event.setBody(DEMO);
        assertThat(f.handler.handleRequest(event, null).getStatusCode()).isEqualTo(404);
    }

    @Test
    void theHandlerAnswersExactlyTheRoutesTheTemplateGivesIt() {
        Template.Function function = f.local.function("OAuthFunction");

        Set<String> keys = function.routes().stream().map(Template.HttpRoute::routeKey).collect(Collectors.toSet());
        assertThat(f.handler.routes().keys()).containsExactlyInAnyOrderElementsOf(keys);
        assertThat(function.routes()).filteredOn(r -> r.path().startsWith("/oauth/"))
                .allSatisfy(r -> assertThat(r.authorizer()).isEqualTo("NONE"));
        assertThat(Optional.of(function.handlerClass())).contains(OAuthHandler.class.getName());
    }
}
