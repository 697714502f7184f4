package app.connections.functions.portal;

import static org.assertj.core.api.Assertions.assertThat;

import app.connections.connection.Connection;
import app.connections.connection.ConnectionStatus;
import app.connections.connection.Target;
import app.connections.local.aws.BusTap;
import app.connections.local.aws.LocalAws;
import app.connections.local.aws.LocalAwsExtension;
import app.connections.local.aws.Template;
import app.connections.platform.Json;
import app.connections.resolve.ResolveRequest;
import app.connections.testing.EventSchemas;
import app.connections.testing.OAuthWorld;
import app.connections.workspace.Workspace;
import app.connections.workspace.aws.DynamoWorkspaceRegistry;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.InputStream;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(LocalAwsExtension.class)
class PortalTest {
    static final String CLIENT = "client-1";
    private OAuthWorld world;
    private PortalHandler handler;

    @BeforeEach
    void setUp(LocalAws local) throws Exception {
        world = new OAuthWorld(local, "PortalFunction", Map.of());
        new DynamoWorkspaceRegistry(local.clients().dynamo(), world.config.tableName())
                .put(new Workspace("ws-globex", world.account, "Globex"));
        handler = new PortalHandler(world.services.portal());
    }

    @AfterEach
    void tearDown() {
        world.close();
    }

    private APIGatewayV2HTTPEvent event(String name, String connectionId, String client) throws Exception {
        try (InputStream in = Files.newInputStream(world.local.root().resolve("events/portal/" + name + ".json"))) {
            APIGatewayV2HTTPEvent e = LambdaEventSerializers.serializerFor(APIGatewayV2HTTPEvent.class, getClass().getClassLoader()).fromJson(in);
            if (connectionId != null) {
                e.setPathParameters(new HashMap<>(Map.of("connectionId", connectionId)));
            }
            e.getRequestContext().getAuthorizer().getJwt().setClaims(new HashMap<>(Map.of("sub", client,
                    "custom:account_id", world.account, "custom:workspace_id", world.workspace)));
            return e;
        }
    }

    private JsonNode call(String name, String connectionId, int status) throws Exception {
        APIGatewayV2HTTPResponse response = handler.handleRequest(event(name, connectionId, CLIENT), null);
        assertThat(response.getStatusCode()).as(response.getBody()).isEqualTo(status);
        return Json.MAPPER.readTree(response.getBody());
    }

    @Test
    void aClientSeesOnlyTheOAuthConnectionsTheyAuthorizedInTheirWorkspace() throws Exception {
        Connection mine = world.oauthConnection("acct-mine", Duration.ofHours(1), world.workspace, CLIENT);
        world.oauthConnection("acct-theirs", Duration.ofHours(1), world.workspace, "client-2");
        world.oauthConnection("acct-elsewhere", Duration.ofHours(1), "ws-globex", CLIENT);
        world.apiKeyConnection("key", Map.of("subdomain", "acme"));

        JsonNode list = call("list-connections", null, 200);

        List<String> ids = new ArrayList<>();
        list.path("connections").forEach(c -> ids.add(c.path("connection").path("id").asText()));
        assertThat(ids).containsExactly(mine.id());
        assertThat(list.toString()).doesNotContain("refreshToken").doesNotContain("accessToken");
    }

    @Test
    void rotatingGetsFreshTokensAndRevokesTheSupersededRefreshTokenAtTheProvider() throws Exception {
        Connection c = world.oauthConnection("acct-rotate", Duration.ofHours(1), world.workspace, CLIENT);
        var before = world.tokens(c);
        world.clock.advance(Duration.ofMinutes(1));

        JsonNode rotated = call("rotate", c.id(), 200);

        assertThat(rotated.path("status").asText()).isEqualTo("rotated");
        assertThat(rotated.path("connection").path("lastRefreshedAt").asText()).isNotBlank();
        var after = world.tokens(c);
        assertThat(after.get("accessToken")).isNotEqualTo(before.get("accessToken"));
        assertThat(world.provider.wasRevoked(before.get("refreshToken"))).isTrue();
        assertThat(world.provider.isValid(after.get("refreshToken"))).isTrue();
    }

    @Test
    void rotatingAgainWithinTenSecondsIsRefusedAndLeavesTheFreshTokensAlone() throws Exception {
        Connection c = world.oauthConnection("acct-rotate-twice", Duration.ofHours(1), world.workspace, CLIENT);
        world.clock.advance(Duration.ofMinutes(1));
        call("rotate", c.id(), 200);
        var rotated = world.tokens(c);
        world.clock.advance(Duration.ofSeconds(3));

        JsonNode again = call("rotate", c.id(), 409);

        assertThat(again.path("error").asText()).isEqualTo("rotated_recently");
        assertThat(world.tokens(c).get("accessToken")).isEqualTo(rotated.get("accessToken"));
        assertThat(world.provider.refreshCalls()).isEqualTo(1);
    }

    @Test
    void whenTheProviderCannotRefreshRotationOffersAReconnect() throws Exception {
        Connection c = world.oauthConnection("acct-gone", Duration.ofHours(1), world.workspace, CLIENT);
        world.provider.revokeGrantsOf("acct-gone");
        world.clock.advance(Duration.ofMinutes(1));

        JsonNode answer = call("rotate", c.id(), 200);

        assertThat(answer.path("status").asText()).isEqualTo("reauthorization_required");
        assertThat(answer.path("reauthorizeUrl").asText()).matches("^https?://[^/]+/oauth/start\\?session=[A-Za-z0-9_-]{43}$");
    }

    @Test
    void revokingRevokesAtTheProviderAndLaterResolvesAreDenied() throws Exception {
        Connection c = world.oauthConnection("acct-revoke", Duration.ofHours(1), world.workspace, CLIENT);
        String refreshToken = world.tokens(c).get("refreshToken");
        BusTap tap = BusTap.on(world.local.stack(), "{\"source\":[\"app.connections\"],\"detail\":{\"connectionId\":[\"" + c.id() + "\"]}}");

        JsonNode revoked = call("revoke", c.id(), 200);

        assertThat(revoked.path("connection").path("status").asText()).isEqualTo("REVOKED");
        assertThat(world.provider.wasRevoked(refreshToken)).isTrue();
        assertThat(resolve(c)).containsEntry("status", "denied").containsEntry("reason", "revoked");
        assertThat(secretDeletionScheduled(c)).isTrue();
        assertThat(EventSchemas.valid(tap.drain())).filteredOn(e -> e.contains("Connection Revoked")).hasSize(1);
    }

    @Test
    void rotatingARevokedConnectionIsAConflictAndTouchesNothing() throws Exception {
        Connection c = world.oauthConnection("acct-rotate-revoked", Duration.ofHours(1), world.workspace, CLIENT);
        call("revoke", c.id(), 200);
        int tokenCalls = world.provider.tokenCalls();

        JsonNode answer = call("rotate", c.id(), 409);

        assertThat(answer.path("error").asText()).isEqualTo("connection_revoked");
        assertThat(answer.path("message").asText()).contains("revoked");
        assertThat(world.provider.tokenCalls()).as("no refresh at the provider").isEqualTo(tokenCalls);
        assertThat(world.reload(c).status()).isEqualTo(ConnectionStatus.REVOKED);
    }

    @Test
    void aProviderUnavailableAtRevocationStillRevokesLocallyAtOnceAndIsRetriedLater() throws Exception {
        Connection c = world.oauthConnection("acct-503", Duration.ofHours(3), world.workspace, CLIENT);
        String refreshToken = world.tokens(c).get("refreshToken");
        world.provider.failRevocations(1);

        call("revoke", c.id(), 200);

        assertThat(world.reload(c).status()).isEqualTo(ConnectionStatus.REVOKED);
        assertThat(resolve(c)).containsEntry("reason", "revoked");
        assertThat(world.provider.wasRevoked(refreshToken)).isFalse();
        assertThat(secretDeletionScheduled(c)).as("tokens kept until the provider revocation is done").isFalse();

        world.clock.advance(Duration.ofMinutes(2));
        world.services.refreshRun().run(() -> Duration.ofMinutes(5), Duration.ofSeconds(20));

        assertThat(world.provider.wasRevoked(refreshToken)).isTrue();
        assertThat(secretDeletionScheduled(c)).isTrue();
    }

    @Test
    void anotherClientsAnotherWorkspacesAndApiKeyConnectionsAreNotFound() throws Exception {
        Connection theirs = world.oauthConnection("acct-x", Duration.ofHours(1), world.workspace, "client-2");
        Connection elsewhere = world.oauthConnection("acct-y", Duration.ofHours(1), "ws-globex", CLIENT);
        Connection key = world.apiKeyConnection("k", Map.of("subdomain", "acme"));

        for (Connection c : List.of(theirs, elsewhere, key)) {
            assertThat(call("rotate", c.id(), 404).path("error").asText()).isEqualTo("not_found");
            call("revoke", c.id(), 404);
        }
        assertThat(world.reload(theirs).status()).isEqualTo(ConnectionStatus.ACTIVE);
    }

    @Test
    void theBuildersDeleteOfAnOAuthConnectionGoesThroughTheSameRevocation() throws Exception {
        Connection c = world.oauthConnection("acct-builder", Duration.ofHours(1));
        String refreshToken = world.tokens(c).get("refreshToken");

        world.services.connections().revoke(world.admin(), Target.workspace(world.workspace), c.id());

        assertThat(world.provider.wasRevoked(refreshToken)).isTrue();
        assertThat(world.reload(c).status()).isEqualTo(ConnectionStatus.REVOKED);
    }

    @Test
    void aClientStartsAConnectSessionForTheirOwnWorkspace() throws Exception {
        APIGatewayV2HTTPEvent e = event("connect-session", null, CLIENT);
        e.setBody("{\"app\": \"" + world.app + "\"}");

        APIGatewayV2HTTPResponse response = handler.handleRequest(e, null);

        assertThat(response.getStatusCode()).as(response.getBody()).isEqualTo(201);
        assertThat(Json.MAPPER.readTree(response.getBody()).path("authorizeUrl").asText()).contains("/oauth/start?session=");
    }

    @Test
    void everyPortalRouteIsGuardedByThePortalPool() {
        Template.Function function = world.local.function("PortalFunction");

        assertThat(handler.routes().keys()).containsExactlyInAnyOrderElementsOf(
                function.routes().stream().map(Template.HttpRoute::routeKey).toList());
        assertThat(function.routes()).allSatisfy(r -> assertThat(r.authorizer()).isEqualTo("PortalAuthorizer"));
    }

    private Map<String, Object> resolve(Connection c) {
        return ResolveRequest.parse(Map.of("connectionId", c.id(), "accountId", world.account, "workspaceId", world.workspace,
                "runId", "run-1", "stepId", "s")).map(world.services.resolver()::resolve).orElseThrow().toMap();
    }

    private boolean secretDeletionScheduled(Connection c) {
        return world.local.stack().clients().secrets().describeSecret(b -> b.secretId(
                world.reload(c).secretRef().orElseThrow().id())).deletedDate() != null;
    }
}
