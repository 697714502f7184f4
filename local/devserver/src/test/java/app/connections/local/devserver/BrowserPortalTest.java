package app.connections.local.devserver;

import static org.assertj.core.api.Assertions.assertThat;

import app.connections.connection.Connection;
import app.connections.connection.ConnectionStatus;
import app.connections.local.aws.CognitoUsers;
import app.connections.local.aws.LocalAws;
import app.connections.local.aws.LocalAwsExtension;
import app.connections.testing.OAuthWorld;
import com.nimbusds.jwt.SignedJWT;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The portal page at /portal/connections in a real headless Chromium (browser-tests/portal.test.mjs):
 * a new client goes from the empty state through connect, rotate and a confirmed revoke; a client
 * sees only what they authorized, rotates one connection and revokes another; the provider shows
 * the revoked tokens. axe-core on each state.
 */
@ExtendWith(LocalAwsExtension.class)
class BrowserPortalTest {

    @Test
    void aClientRotatesOneConnectionAndRevokesAnotherOnThePortalPage(LocalAws local) throws Exception {
        Path root = local.root();
        try (OAuthWorld world = new OAuthWorld(local, "PortalFunction", Map.of())) {
            String email = "client-" + world.account + "@test.example";
            CognitoUsers users = new CognitoUsers(local.stack());
            users.ensure("PortalUserPool", email, Map.of("custom:account_id", world.account, "custom:workspace_id", world.workspace),
                    "Test-only-Passw0rd!");
            String token = users.idToken("PortalUserPool", email, "Test-only-Passw0rd!");
            String sub = SignedJWT.parse(token).getJWTClaimsSet().getSubject();
            Connection rotate = world.oauthConnection("acct-rotate", Duration.ofMinutes(30), world.workspace, sub); // granted half an hour ago
            Connection revoke = world.oauthConnection("acct-revoke", Duration.ofHours(1), world.workspace, sub);
            world.oauthConnection("acct-not-mine", Duration.ofHours(1), world.workspace, "someone-else");
            String newcomer = "new-client-" + world.account + "@test.example";
            users.ensure("PortalUserPool", newcomer, Map.of("custom:account_id", world.account, "custom:workspace_id", world.workspace),
                    "Test-only-Passw0rd!");
            world.provider.nextConsentAs("client-own-account");
            String rotatedAway = world.tokens(rotate).get("refreshToken");
            String revokedToken = world.tokens(revoke).get("refreshToken");

            try (DevServer server = DevServer.start(local, 0, Map.of("CATALOG_FILE", world.config.catalogFile().orElseThrow().toString()))) {
                BrowserTests.run(root, "portal.test.mjs", Map.of("BASE_URL", server.baseUrl(), "TOKEN", token,
                        "ROTATE_ID", rotate.id(), "REVOKE_ID", revoke.id(),
                        "NEW_TOKEN", users.idToken("PortalUserPool", newcomer, "Test-only-Passw0rd!"),
                        "APP", world.app, "APP_NAME", "Rotating CRM",
                        "SCREENSHOTS", root.resolve("local/devserver/target/screenshots").toString()));
            }
            assertThat(world.reload(revoke).status()).isEqualTo(ConnectionStatus.REVOKED);
            assertThat(world.provider.wasRevoked(revokedToken)).as("the provider's records show the revoked token").isTrue();
            assertThat(world.provider.wasRevoked(rotatedAway)).as("rotation revoked the superseded refresh token").isTrue();
            assertThat(world.reload(rotate).status()).isEqualTo(ConnectionStatus.ACTIVE);
        }
    }
}
