package app.connections.functions.oauth;

import static org.assertj.core.api.Assertions.assertThat;

import app.connections.connection.Connection;
import app.connections.connection.ConnectionStatus;
import app.connections.connection.aws.DynamoConnectionStore;
import app.connections.local.aws.LocalAws;
import app.connections.local.aws.LocalAwsExtension;
import app.connections.platform.aws.AwsClients;
import app.connections.refresh.RefreshOutcome;
import app.connections.refresh.RefreshReason;
import app.connections.vault.SecretOwner;
import app.connections.vault.aws.SecretsManagerVault;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A custom app declared by its issuer alone ({@code "oauth2": {"issuer": …, "discovery": "auto"}}),
 * on the real OAuth server the suite uses: its endpoints, PKCE and scopes come from the server's
 * published metadata, and it connects, refreshes and is revoked like an app whose entry names them.
 */
@ExtendWith(LocalAwsExtension.class)
class DiscoveredAppTest {
    private static final String DISCOVERED = "{\"app\": \"discovered\", \"label\": \"Discovered CRM\"}";
    private OAuthFixture f;
    private DynamoConnectionStore store;
    private SecretsManagerVault vault;

    @BeforeEach
    void setUp(LocalAws local) throws Exception {
        f = new OAuthFixture(local);
        store = new DynamoConnectionStore(new AwsClients().dynamo(), f.config.tableName());
        vault = new SecretsManagerVault(new AwsClients().secrets(), new AwsClients().kms(), f.config.kmsKeyId(),
                f.config.secretNamePrefix());
    }

    @AfterEach
    void tearDown() {
        f.close();
    }

    @Test
    void anAppDeclaredByItsIssuerAloneConnectsRefreshesAndIsRevokedThroughTheEndpointsItsMetadataNames() throws Exception {
        String session = f.createSession(DISCOVERED).path("sessionId").asText();
        assertThat(f.providerRequests()).as("the metadata was read once, to check the app before the popup opens")
                .contains("GET /demo/.well-known/openid-configuration");

        APIGatewayV2HTTPResponse start = f.start(session);
        URI consent = URI.create(start.getHeaders().get("location"));
        assertThat(consent.toString()).as("the authorization endpoint of the metadata").startsWith(f.issuer + "/authorize?");
        assertThat(OAuthFixture.query(consent)).containsEntry("code_challenge_method", "S256")
                .as("openid: the server is an OpenID Provider").containsEntry("scope", "openid");
        String id = OAuthFixture.message(f.completeFrom(f.callback(f.consent(consent.toString(), "dora"))))
                .path("connectionId").asText();

        Connection connected = store.find(id).orElseThrow();
        assertThat(connected.status()).isEqualTo(ConnectionStatus.ACTIVE);
        assertThat(connected.externalAccount()).as("the id_token's sub, the identity a discovered app defaults to").contains("dora");
        SecretOwner owner = new SecretOwner(connected.accountId(), connected.workspaceId(), id, connected.app());
        assertThat(f.providerRequests()).as("the consent, then the token endpoint of the metadata; the metadata is not read again")
                .containsExactly("GET /demo/authorize", "POST /demo/token");

        f.clock.advance(Duration.ofMinutes(1));
        String oldAccess = vault.read(connected.secretRef().orElseThrow(), owner).get("accessToken");
        assertThat(f.services.tokenRefresher().refresh(id, RefreshReason.ROTATION)).isInstanceOf(RefreshOutcome.Refreshed.class);
        Connection refreshed = store.find(id).orElseThrow();
        assertThat(vault.read(refreshed.secretRef().orElseThrow(), owner).get("accessToken")).isNotEqualTo(oldAccess);
        assertThat(f.providerRequests()).containsExactly("POST /demo/token");

        f.services.revocations().revoke(refreshed, "revoked_by_user");
        assertThat(store.find(id).orElseThrow().status()).isEqualTo(ConnectionStatus.REVOKED);
        assertThat(f.providerRequests()).as("revoked at the revocation endpoint of the metadata, refresh token first")
                .startsWith("POST /demo/revoke");
    }

    @Test
    void anIssuerThatDiffersFromItsMetadatasByATrailingSlashIsTheBuildersMistakeNamedInA400() throws Exception {
        var event = f.event("create-connect-session");
        event.setBody("{\"app\": \"mismatched\"}");

        APIGatewayV2HTTPResponse refused = f.handler.handleRequest(event, null);

        assertThat(refused.getStatusCode()).isEqualTo(400);
        var error = app.connections.platform.Json.MAPPER.readTree(refused.getBody());
        assertThat(error.path("error").asText()).isEqualTo("app_misconfigured");
        assertThat(error.path("field").asText()).isEqualTo("app");
        assertThat(error.path("message").asText()).contains("Mismatched (app mismatched)")
                .contains("issuer: the metadata at " + f.issuer + "/.well-known/openid-configuration names issuer " + f.issuer
                        + ", not the configured " + f.issuer + "/");
        assertThat(f.connectionItems()).as("nothing recorded").isEmpty();
    }

    @Test
    void theMetadataIsFetchedAgainOnlyAfterItsLifetime() throws Exception {
        f.createSession(DISCOVERED);
        f.providerRequests();
        f.createSession(DISCOVERED);
        assertThat(f.providerRequests()).as("cached").isEmpty();

        f.clock.advance(app.connections.oauth.OAuthEndpoints.TTL.plusSeconds(1));
        f.createSession(DISCOVERED);
        assertThat(f.providerRequests()).as("fetched again after an hour").isNotEmpty();
    }
}
