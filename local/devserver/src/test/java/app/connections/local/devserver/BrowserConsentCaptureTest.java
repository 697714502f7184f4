package app.connections.local.devserver;

import static org.assertj.core.api.Assertions.assertThat;

import app.connections.local.aws.CognitoUsers;
import app.connections.local.aws.LocalAws;
import app.connections.local.aws.LocalAwsExtension;
import app.connections.local.aws.TokenEndpointStandIn;
import app.connections.oauth.aws.SecretsManagerOAuthClients;
import app.connections.workspace.Workspace;
import app.connections.workspace.aws.DynamoWorkspaceRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The consent-capture attack in a real headless Chromium with two browser contexts
 * (browser-tests/consent-capture.test.mjs), against a provider that skips its consent screen (the
 * token-endpoint stand-in redirects back at once): no token request is ever made and nothing is
 * stored in the attacker's workspace.
 */
@ExtendWith(LocalAwsExtension.class)
class BrowserConsentCaptureTest {

    @Test
    void aVictimOpeningTheAttackersLinkConnectsNothingAndNoTokenIsRequested(LocalAws local) throws Exception {
        Path root = local.root();
        String account = "acct-" + UUID.randomUUID().toString().substring(0, 8);
        new DynamoWorkspaceRegistry(local.clients().dynamo(), local.stack().table())
                .put(new Workspace("ws-attacker", account, "Attacker's own workspace"));
        String email = "attacker-" + account + "@test.example";
        CognitoUsers users = new CognitoUsers(local.stack());
        users.ensure("BuilderUserPool", email, Map.of("custom:account_id", account, "custom:account_role", "member",
                "custom:workspace_roles", "ws-attacker:admin"), "Test-only-Passw0rd!");
        String token = users.idToken("BuilderUserPool", email, "Test-only-Passw0rd!");

        try (TokenEndpointStandIn provider = new TokenEndpointStandIn()) {
            String app = "skips-" + UUID.randomUUID().toString().substring(0, 8);
            provider.nextConsentAs("the-victims-account");
            Path catalog = Files.createTempFile("catalog", ".json");
            Files.writeString(catalog, "{\"apps\": [" + provider.catalogApp(app) + "]}");
            String prefix = local.environmentOf("OAuthFunction").get("SECRET_NAME_PREFIX");
            local.clients().secrets().createSecret(b -> b.name(SecretsManagerOAuthClients.secretName(prefix, app))
                    .secretString("{\"clientId\":\"capture\",\"clientSecret\":\"capture-secret\"}"));
            try (DevServer server = DevServer.start(local, 0, Map.of("CATALOG_FILE", catalog.toString()))) {
                BrowserTests.run(root, "consent-capture.test.mjs", Map.of("BASE_URL", server.baseUrl(), "ATTACKER_TOKEN", token,
                        "WORKSPACE", "ws-attacker", "APP", app,
                        "SCREENSHOT", root.resolve("local/devserver/target/consent-capture-victim.png").toString()));
            }
            assertThat(provider.tokenCalls()).as("no token request for a flow its creator did not complete").isZero();
        }
    }
}
