package app.connections.functions.connections;

import static org.assertj.core.api.Assertions.assertThat;

import app.connections.local.aws.BusTap;
import app.connections.local.aws.LocalAws;
import app.connections.local.aws.LocalAwsExtension;
import app.connections.local.aws.ProviderStandIn;
import app.connections.local.aws.Template;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(LocalAwsExtension.class)
class ConnectionsHandlerTest {
    static final String FRESHDESK = """
            {"app": "freshdesk", "label": "%s", "credentials": {"apiKey": "%s"}, "fields": {"subdomain": "%s"}}""";
    private ConnectionsFixture f;

    @BeforeEach
    void setUp(LocalAws local) throws Exception {
        f = new ConnectionsFixture(local);
        f.provider.accept("fd-key-alice", "{\"id\": 1001, \"contact\": {\"name\": \"Alice\"}}")
                .accept("fd-key-alice-rotated", "{\"id\": 1001}")
                .accept("fd-key-bob", "{\"id\": 2002}")
                .accept("sk-openai-agency", "{\"data\": []}")
                .accept("fd-live-key-1", "{\"id\": 42}");
    }

    private JsonNode created(String workspaceId, String label, String key) throws Exception {
        APIGatewayV2HTTPResponse response = f.call(f.create(workspaceId, FRESHDESK.formatted(label, key, "acme")));
        assertThat(response.getStatusCode()).as(response.getBody()).isIn(200, 201);
        return ConnectionsFixture.json(response);
    }

    private List<String> pickerLabels(String workspaceId, Map<String, String> query, String accountRole, String roles)
            throws Exception {
        APIGatewayV2HTTPResponse response = f.call(f.as(f.picker(workspaceId, query), accountRole, roles));
        assertThat(response.getStatusCode()).as(response.getBody()).isEqualTo(200);
        List<String> labels = new ArrayList<>();
        ConnectionsFixture.json(response).path("connections").forEach(c -> labels.add(c.path("label").asText()));
        return labels;
    }

    @Test
    void anAdminConnectsFreshdeskWithAKeyAndAnEditorPicksItOnAFreshdeskNode() throws Exception {
        APIGatewayV2HTTPResponse response = f.call(f.event("create-freshdesk-api-key"));

        assertThat(response.getStatusCode()).as(response.getBody()).isEqualTo(201);
        JsonNode connection = ConnectionsFixture.json(response);
        assertThat(response.getHeaders().get("location")).isEqualTo("/workspaces/ws-acme/connections/" + connection.path("id").asText());
        assertThat(connection.path("app").asText()).isEqualTo("freshdesk");
        assertThat(connection.path("kind").asText()).isEqualTo("API_KEY");
        assertThat(connection.path("status").asText()).isEqualTo("ACTIVE");
        assertThat(connection.path("scope").asText()).isEqualTo("WORKSPACE");
        assertThat(connection.path("workspaceId").asText()).isEqualTo("ws-acme");

        assertThat(pickerLabels("ws-acme", Map.of("app", "freshdesk", "authKind", "API_KEY"), "member", "ws-acme:editor"))
                .containsExactly("Acme Freshdesk");
        assertThat(pickerLabels("ws-acme", Map.of("app", "slack"), "member", "ws-acme:editor")).isEmpty();
        assertThat(pickerLabels("ws-acme", Map.of("app", "freshdesk", "authKind", "OAUTH2"), "member", "ws-acme:editor")).isEmpty();
        assertThat(pickerLabels("ws-acme", Map.of("app", "freshdesk", "authKind", "OAUTH2,API_KEY"), "member", "ws-acme:editor"))
                .containsExactly("Acme Freshdesk");
    }

    @Test
    void responsesCarryPublicFieldsOnlyNeverTheKeyTheSecretOrTheIdentity() throws Exception {
        // the external account is shown (subdomain, then the agent id Freshdesk reported), not the dedupe key "acme:42"
        APIGatewayV2HTTPResponse response = f.call(f.event("create-freshdesk-api-key"));

        JsonNode body = ConnectionsFixture.json(response);
        assertThat(response.getBody()).doesNotContain("fd-live-key-1", "arn:", "secret", "hmac");
        Set<String> names = new java.util.TreeSet<>();
        body.fieldNames().forEachRemaining(names::add);
        assertThat(names).containsExactlyInAnyOrder("id", "app", "label", "kind", "status", "scope", "workspaceId",
                "accountId", "externalAccount", "createdAt", "updatedAt", "createdBy");
        assertThat(body.path("externalAccount").asText()).isEqualTo("acme · 42");
    }

    @Test
    void savingTheSameKeyAgainReturnsTheSameConnectionWithoutANewSecretVersion() throws Exception {
        BusTap tap = tap();
        JsonNode first = created("ws-acme", "Acme Freshdesk", "fd-key-alice");

        APIGatewayV2HTTPResponse again = f.call(f.create("ws-acme", FRESHDESK.formatted("Another label", "fd-key-alice", "acme")));

        assertThat(again.getStatusCode()).isEqualTo(200);
        assertThat(ConnectionsFixture.json(again).path("id").asText()).isEqualTo(first.path("id").asText());
        assertThat(ConnectionsFixture.json(again).path("label").asText()).isEqualTo("Acme Freshdesk");
        assertThat(secretVersions()).isEqualTo(1);
        assertThat(pickerLabels("ws-acme", Map.of("app", "freshdesk"), "member", "ws-acme:editor")).hasSize(1);
        assertThat(eventTypes(tap)).containsExactly("Connection Created");
    }

    @Test
    void reconnectingTheSameFreshdeskAgentWithANewKeyUpdatesTheExistingConnection() throws Exception {
        BusTap tap = tap();
        JsonNode first = created("ws-acme", "Acme Freshdesk", "fd-key-alice");

        JsonNode again = created("ws-acme", "Acme Freshdesk", "fd-key-alice-rotated");
        JsonNode retried = created("ws-acme", "Acme Freshdesk", "fd-key-alice-rotated");

        assertThat(again.path("id").asText()).isEqualTo(first.path("id").asText());
        assertThat(retried.path("id").asText()).isEqualTo(first.path("id").asText());
        assertThat(secretVersions()).as("one version per real change: the first key, the rotated one").isEqualTo(2);
        assertThat(eventTypes(tap)).containsExactly("Connection Created");
    }

    @Test
    void anotherAgentsKeyIsAnotherConnection() throws Exception {
        JsonNode alice = created("ws-acme", "Alice's desk", "fd-key-alice");
        JsonNode bob = created("ws-acme", "Bob's desk", "fd-key-bob");

        assertThat(bob.path("id").asText()).isNotEqualTo(alice.path("id").asText());
        assertThat(pickerLabels("ws-acme", Map.of("app", "freshdesk"), "member", "ws-acme:editor"))
                .containsExactly("Alice's desk", "Bob's desk");
    }

    @Test
    void twoSimultaneousCreatesOfTheSameAccountYieldOneConnection() throws Exception {
        BusTap tap = tap();
        List<Callable<APIGatewayV2HTTPResponse>> creates = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            APIGatewayV2HTTPEvent event = f.create("ws-acme", FRESHDESK.formatted("Desk " + i, "fd-key-alice", "acme"));
            creates.add(() -> f.call(event));
        }
        Set<String> ids;
        try (var pool = Executors.newFixedThreadPool(6)) {
            List<Future<APIGatewayV2HTTPResponse>> results = pool.invokeAll(creates);
            ids = new java.util.HashSet<>();
            for (Future<APIGatewayV2HTTPResponse> r : results) {
                assertThat(r.get().getStatusCode()).as(r.get().getBody()).isIn(200, 201);
                ids.add(ConnectionsFixture.json(r.get()).path("id").asText());
            }
        }

        assertThat(ids).hasSize(1);
        assertThat(pickerLabels("ws-acme", Map.of("app", "freshdesk"), "member", "ws-acme:editor")).hasSize(1);
        assertThat(eventTypes(tap)).containsExactly("Connection Created");
    }

    @Test
    void aKeyTheAppRefusesIs422AndNothingIsStored() throws Exception {
        APIGatewayV2HTTPResponse response = f.call(f.create("ws-acme", FRESHDESK.formatted("Desk", "fd-key-wrong", "acme")));

        assertThat(response.getStatusCode()).isEqualTo(422);
        assertThat(ConnectionsFixture.json(response).path("error").asText()).isEqualTo("credential_rejected");
        assertThat(response.getBody()).doesNotContain("fd-key-wrong");
        assertThat(f.secretsOfAccount()).isZero();
        assertThat(pickerLabels("ws-acme", Map.of(), "admin", "")).isEmpty();
    }

    @Test
    void anUnavailableProviderIs502AndNothingIsStored() throws Exception {
        APIGatewayV2HTTPResponse response = f.call(f.create("ws-acme", FRESHDESK.formatted("Desk", ProviderStandIn.DOWN, "acme")));

        assertThat(response.getStatusCode()).isEqualTo(502);
        assertThat(ConnectionsFixture.json(response).path("error").asText()).isEqualTo("provider_unreachable");
        assertThat(f.secretsOfAccount()).isZero();
    }

    @Test
    void anUnreachableProviderIs502() throws Exception {
        f.provider.close();

        APIGatewayV2HTTPResponse response = f.call(f.create("ws-acme", FRESHDESK.formatted("Desk", "fd-key-alice", "acme")));

        assertThat(response.getStatusCode()).isEqualTo(502);
        assertThat(f.secretsOfAccount()).isZero();
    }

    @Test
    void aModelProviderKeyThatNamesNoAccountIsDedupedByItsKeyedFingerprint() throws Exception {
        APIGatewayV2HTTPEvent create = f.as(f.event("create-account-openai-key"), "admin", "");
        create.setBody("{\"app\": \"openai\", \"label\": \"Agency OpenAI\", \"credentials\": {\"apiKey\": \"sk-openai-agency\"}}");
        APIGatewayV2HTTPResponse first = f.call(create);
        APIGatewayV2HTTPResponse second = f.call(create);

        assertThat(first.getStatusCode()).as(first.getBody()).isEqualTo(201);
        assertThat(second.getStatusCode()).isEqualTo(200);
        assertThat(ConnectionsFixture.json(second).path("id").asText()).isEqualTo(ConnectionsFixture.json(first).path("id").asText());
        assertThat(ConnectionsFixture.json(first).path("scope").asText()).isEqualTo("ACCOUNT");
        assertThat(ConnectionsFixture.json(first).has("externalAccount")).as("never the fingerprint that stands in for the identity")
                .isFalse();
        // an account connection reaches a workspace only through a grant
        assertThat(pickerLabels("ws-acme", Map.of("app", "openai"), "admin", "")).isEmpty();
    }

    @Test
    void aWorkspaceAdminCannotCreateAccountConnections() throws Exception {
        APIGatewayV2HTTPEvent create = f.as(f.event("create-account-openai-key"), "member", "ws-acme:admin");
        create.setBody("{\"app\": \"openai\", \"label\": \"Agency OpenAI\", \"credentials\": {\"apiKey\": \"sk-openai-agency\"}}");

        assertThat(f.call(create).getStatusCode()).isEqualTo(403);
    }

    @Test
    void renamingReordersThePickerAndARevokedConnectionIsGoneButKeptForAudit() throws Exception {
        String alice = created("ws-acme", "Zeta desk", "fd-key-alice").path("id").asText();
        created("ws-acme", "Middle desk", "fd-key-bob");
        BusTap tap = BusTap.on(f.local.stack(), "{\"source\":[\"app.connections\"],\"detail\":{\"connectionId\":[\"" + alice + "\"]}}");

        APIGatewayV2HTTPResponse renamed = f.call(f.onConnection("rename-connection", "ws-acme", alice));
        assertThat(renamed.getStatusCode()).as(renamed.getBody()).isEqualTo(200);
        assertThat(pickerLabels("ws-acme", Map.of("app", "freshdesk"), "member", "ws-acme:editor"))
                .containsExactly("Acme Support Desk", "Middle desk");

        APIGatewayV2HTTPResponse revoked = f.call(f.onConnection("revoke-connection", "ws-acme", alice));
        assertThat(revoked.getStatusCode()).isEqualTo(200);
        assertThat(ConnectionsFixture.json(revoked).path("status").asText()).isEqualTo("REVOKED");
        assertThat(pickerLabels("ws-acme", Map.of("app", "freshdesk"), "member", "ws-acme:editor")).containsExactly("Middle desk");
        assertThat(ConnectionsFixture.json(f.call(f.onConnection("get-connection", "ws-acme", alice))).path("status").asText())
                .isEqualTo("REVOKED");
        var secret = f.local.stack().clients().secrets().listSecrets(b -> b.includePlannedDeletion(true)
                .filters(x -> x.key("name").values(f.secretPrefix() + alice))).secretList();
        assertThat(secret).singleElement().satisfies(s -> assertThat(s.deletedDate()).isNotNull());

        APIGatewayV2HTTPResponse renameRevoked = f.call(f.onConnection("rename-connection", "ws-acme", alice));
        assertThat(renameRevoked.getStatusCode()).isEqualTo(409);
        assertThat(f.call(f.onConnection("revoke-connection", "ws-acme", alice)).getStatusCode()).isEqualTo(200);
        List<String> published = app.connections.testing.EventSchemas.valid(tap.drain());
        assertThat(published).filteredOn(e -> e.contains("\"Connection Revoked\"")).hasSize(1);
        assertThat(String.join("\n", published)).doesNotContain("fd-key-alice");

        // the same key connected again is a new connection: a revoked id is never reused
        String again = created("ws-acme", "Alice again", "fd-key-alice").path("id").asText();
        assertThat(again).isNotEqualTo(alice);
    }

    @Test
    void anotherWorkspacesOrAccountsUserCannotSeeOrTouchAConnection() throws Exception {
        String id = created("ws-acme", "Acme Freshdesk", "fd-key-alice").path("id").asText();
        String unknown = "3f1c2a9e-0000-4000-8000-00000000dead";

        APIGatewayV2HTTPResponse otherWorkspace = f.call(f.as(f.onConnection("get-connection", "ws-acme", id), "member", "ws-globex:admin"));
        APIGatewayV2HTTPResponse viaOtherWorkspace = f.call(f.as(f.onConnection("get-connection", "ws-globex", id), "member", "ws-globex:admin"));
        APIGatewayV2HTTPResponse neverExisted = f.call(f.as(f.onConnection("get-connection", "ws-globex", unknown), "member", "ws-globex:admin"));
        APIGatewayV2HTTPEvent otherAccount = f.onConnection("get-connection", "ws-acme", id);
        otherAccount.getRequestContext().getAuthorizer().getJwt().getClaims().put("custom:account_id", "acct-someone-else");
        otherAccount.getRequestContext().getAuthorizer().getJwt().getClaims().put("custom:account_role", "admin");

        assertThat(otherWorkspace.getStatusCode()).isEqualTo(404);
        assertThat(viaOtherWorkspace.getStatusCode()).isEqualTo(404);
        assertThat(viaOtherWorkspace.getBody()).isEqualTo(neverExisted.getBody());
        assertThat(f.call(otherAccount).getStatusCode()).isEqualTo(404);
        assertThat(f.call(f.as(f.onConnection("revoke-connection", "ws-acme", id), "member", "ws-globex:admin")).getStatusCode()).isEqualTo(404);
        assertThat(f.call(f.as(f.onConnection("revoke-connection", "ws-acme", id), "member", "ws-acme:editor")).getStatusCode()).isEqualTo(403);
        assertThat(f.call(f.as(f.picker("ws-acme", Map.of()), "member", "ws-globex:admin")).getStatusCode()).isEqualTo(404);
    }

    @Test
    void thePickerPagesThroughEveryConnectionByLabel() throws Exception {
        for (String key : List.of("k-a", "k-b", "k-c", "k-d", "k-e")) {
            f.provider.accept(key, "{\"id\": \"" + key + "\"}");
            created("ws-acme", "Desk " + key.substring(2).toUpperCase(), key);
        }
        List<String> seen = new ArrayList<>();
        Map<String, String> query = new java.util.HashMap<>(Map.of("app", "freshdesk", "limit", "2"));
        for (int page = 0; page < 5; page++) {
            APIGatewayV2HTTPResponse response = f.call(f.picker("ws-acme", query));
            JsonNode body = ConnectionsFixture.json(response);
            body.path("connections").forEach(c -> seen.add(c.path("label").asText()));
            if (!body.has("nextToken")) {
                break;
            }
            query.put("nextToken", body.path("nextToken").asText());
        }
        assertThat(seen).containsExactly("Desk A", "Desk B", "Desk C", "Desk D", "Desk E");

        APIGatewayV2HTTPEvent forged = f.picker("ws-globex", Map.of("app", "freshdesk", "nextToken", query.get("nextToken")));
        APIGatewayV2HTTPResponse refused = f.call(f.as(forged, "admin", ""));
        assertThat(refused.getStatusCode()).isEqualTo(400);
        assertThat(ConnectionsFixture.json(refused).path("field").asText()).isEqualTo("nextToken");
    }

    @Test
    void theCatalogListsAppsWithTheirFieldsAndNoSecrets() throws Exception {
        APIGatewayV2HTTPResponse response = f.call(f.event("list-apps"));

        assertThat(response.getStatusCode()).isEqualTo(200);
        JsonNode freshdesk = null;
        for (JsonNode app : ConnectionsFixture.json(response).path("apps")) {
            if (app.path("key").asText().equals("freshdesk")) {
                freshdesk = app;
            }
        }
        assertThat(freshdesk).isNotNull();
        assertThat(freshdesk.path("fields").get(0).path("name").asText()).isEqualTo("subdomain");
        assertThat(freshdesk.path("fields").get(0).path("pattern").asText()).startsWith("^");
        assertThat(response.getBody()).doesNotContainIgnoringCase("client_secret\":\"").doesNotContain("clientSecret");
    }

    @Test
    void theCatalogSaysHowToPresentEachAppItsWaysToConnectAndWhichFieldEachWayNeeds() throws Exception {
        java.util.Map<String, JsonNode> apps = new java.util.HashMap<>();
        ConnectionsFixture.json(f.call(f.event("list-apps"))).path("apps").forEach(app -> apps.put(app.path("key").asText(), app));

        JsonNode mailchimp = apps.get("mailchimp");
        assertThat(mailchimp.path("name").asText()).isEqualTo("Mailchimp");
        assertThat(mailchimp.path("groupName").asText()).isEqualTo("Marketing");
        assertThat(mailchimp.path("kinds").toString()).contains("{\"kind\":\"OAUTH2\",\"name\":\"OAuth 2.0\",\"connectable\":true}")
                .contains("{\"kind\":\"API_KEY\",\"name\":\"API key\",\"connectable\":true}");
        JsonNode dc = mailchimp.path("fields").get(0);
        assertThat(dc.path("name").asText()).isEqualTo("dc");
        assertThat(dc.path("label").asText()).isNotBlank();
        assertThat(dc.path("help").asText()).isNotBlank();
        assertThat(dc.path("requiredFor").toString()).as("the data center is in the key check's URL, not in OAuth's")
                .isEqualTo("[\"API_KEY\"]");

        assertThat(apps.get("openai").path("groupName").asText()).isEqualTo("AI models");
    }

    @Test
    void theHandlerAnswersExactlyTheRoutesTheTemplateGivesIt() {
        Template.Function function = f.local.function("ConnectionsFunction");

        assertThat(f.handler.routes().keys()).containsExactlyInAnyOrderElementsOf(
                function.routes().stream().map(Template.HttpRoute::routeKey).collect(Collectors.toSet()));
        assertThat(function.handlerClass()).isEqualTo(ConnectionsHandler.class.getName());
    }

    /** Taps this test account's events on the bus. */
    private BusTap tap() {
        return BusTap.on(f.local.stack(), "{\"source\":[\"app.connections\"],\"detail\":{\"accountId\":[\"" + f.account + "\"]}}");
    }

    /** The detail types published since the tap started (schema-checked). */
    private static List<String> eventTypes(BusTap tap) throws Exception {
        return app.connections.testing.EventSchemas.detailTypes(tap);
    }

    private int secretVersions() {
        var secrets = f.local.stack().clients().secrets();
        var list = secrets.listSecrets(b -> b.filters(x -> x.key("name").values(f.secretPrefix()))).secretList();
        assertThat(list).hasSize(1);
        return secrets.listSecretVersionIds(b -> b.secretId(list.get(0).arn()).includeDeprecated(true)).versions().size();
    }
}
