package app.connections.local.devserver;

import static org.assertj.core.api.Assertions.assertThat;

import app.connections.local.aws.CognitoUsers;
import app.connections.local.aws.LocalAws;
import app.connections.local.aws.LocalAwsExtension;
import app.connections.workspace.Workspace;
import app.connections.workspace.aws.DynamoWorkspaceRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The builder page driven in a real headless Chromium (browser-tests/oauth-popup.test.mjs):
 * "Connect New Account", consent in the popup on a real OAuth server, the popup's message, the
 * page's completion, the picker with the external account. Needs Debian chromium and browser-tests/node_modules, which bin/setup installs.
 */
@ExtendWith(LocalAwsExtension.class)
class BrowserOAuthPopupTest {

    @Test
    void aPersonConnectsTheDemoAppThroughThePopupAndSeesItInThePicker(LocalAws local) throws Exception {
        Path root = local.root();
        String prefix = local.environmentOf("OAuthFunction").get("SECRET_NAME_PREFIX");
        String account = "acct-" + UUID.randomUUID().toString().substring(0, 8);
        new DynamoWorkspaceRegistry(local.clients().dynamo(), local.stack().table())
                .put(new Workspace("ws-acme", account, "Acme Corp"));
        String email = "admin-" + account + "@test.example";
        CognitoUsers users = new CognitoUsers(local.stack());
        users.ensure("BuilderUserPool", email, Map.of("custom:account_id", account, "custom:account_role", "member",
                "custom:workspace_roles", "ws-acme:admin"), "Test-only-Passw0rd!");
        String token = users.idToken("BuilderUserPool", email, "Test-only-Passw0rd!");

        try (DemoProvider demo = new DemoProvider(local, prefix)) {
            Path catalog = Files.createTempFile("catalog", ".json");
            Files.writeString(catalog, "{\"apps\": [" + demo.catalogApp() + "]}");
            try (DevServer server = DevServer.start(local, 0, Map.of("CATALOG_FILE", catalog.toString()))) {
                BrowserTests.run(root, "oauth-popup.test.mjs", Map.of("BASE_URL", server.baseUrl(), "TOKEN", token,
                        "SUBJECT", "person-" + account,
                        "SCREENSHOTS", root.resolve("local/devserver/target/screenshots").toString()));
            }
        }
    }
}
