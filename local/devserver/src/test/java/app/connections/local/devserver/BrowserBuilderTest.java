package app.connections.local.devserver;

import static org.assertj.core.api.Assertions.assertThat;

import app.connections.connection.Connection;
import app.connections.connection.ConnectionStatus;
import app.connections.local.aws.CognitoUsers;
import app.connections.local.aws.LocalAws;
import app.connections.local.aws.LocalAwsExtension;
import app.connections.local.aws.ProviderStandIn;
import app.connections.testing.OAuthWorld;
import app.connections.workspace.Workspace;
import app.connections.workspace.aws.DynamoWorkspaceRegistry;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The builder's authentication section in a real headless Chromium (browser-tests/builder.test.mjs)
 * through the dev server with real tokens: the connect dialog (API key with a subdomain, OAuth 2.0
 * through the popup on a real OAuth server), two external accounts of one app, a closed popup, an
 * editor, and a connection the provider stops refreshing (the token-endpoint stand-in answers
 * invalid_grant) shown in the banner and reconnected; and the same from the local tools page alone, on the
 * demo OAuth server (a user's access removed at the provider). axe-core on every state.
 */
@ExtendWith(LocalAwsExtension.class)
class BrowserBuilderTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    static final String PASSWORD = "Test-only-Passw0rd!";

    @Test
    void theConnectDialogPickerAndBannerWorkAsAPersonUsesThem(LocalAws local) throws Exception {
        Path root = local.root();
        String prefix = local.environmentOf("OAuthFunction").get("SECRET_NAME_PREFIX");
        try (ProviderStandIn keys = new ProviderStandIn().accept("fd-browser-good-key", "{\"id\": 5001}");
             DemoProvider demo = new DemoProvider(local, prefix);
             OAuthWorld world = new OAuthWorld(local, "ConnectionsFunction", Map.of(), (service, o) -> { }, apps(keys, demo))) {
            new DynamoWorkspaceRegistry(local.clients().dynamo(), local.stack().table())
                    .put(new Workspace("ws-beta", world.account, "Beta Industries"));
            CognitoUsers users = new CognitoUsers(local.stack());
            String admin = "owner-" + world.account + "@test.example";
            users.ensure("BuilderUserPool", admin, Map.of("custom:account_id", world.account, "custom:account_role", "admin",
                    "custom:workspace_roles", ""), PASSWORD);
            String editor = "editor-" + world.account + "@test.example";
            users.ensure("BuilderUserPool", editor, Map.of("custom:account_id", world.account, "custom:account_role", "member",
                    "custom:workspace_roles", world.workspace + ":editor"), PASSWORD);
            // a connection whose tokens were granted half an hour ago; then the person revokes our access at the provider
            Connection broken = world.oauthConnection("crm-account-1", Duration.ofMinutes(30));
            world.provider.revokeGrantsOf("crm-account-1");
            world.provider.nextConsentAs("crm-account-1");

            try (DevServer server = DevServer.start(local, 0, Map.of("CATALOG_FILE", world.config.catalogFile().orElseThrow().toString()))) {
                server.serveLocalTools(local, demo);
                BrowserTests.run(root, "builder.test.mjs", Map.ofEntries(Map.entry("BASE_URL", server.baseUrl()),
                        Map.entry("ADMIN_TOKEN", users.idToken("BuilderUserPool", admin, PASSWORD)),
                        Map.entry("EDITOR_TOKEN", users.idToken("BuilderUserPool", editor, PASSWORD)),
                        Map.entry("ACCOUNT", world.account), Map.entry("WORKSPACE", world.workspace),
                        Map.entry("OTHER_WORKSPACE", "ws-beta"), Map.entry("STANDIN_APP", world.app),
                        Map.entry("BROKEN_ID", broken.id()), Map.entry("FRESHDESK_KEY", "fd-browser-good-key"),
                        Map.entry("SUBJECT", "person-" + world.account),
                        Map.entry("SCREENSHOTS", root.resolve("local/devserver/target/screenshots").toString())));
            }
            Connection reconnected = world.reload(broken);
            assertThat(reconnected.status()).isEqualTo(ConnectionStatus.ACTIVE);
            assertThat(reconnected.externalAccount()).contains("crm-account-1");
        }
    }

    /** The catalog entries of the Freshdesk key-check stand-in and the demo OAuth server, next to the world's own app. */
    static List<String> apps(ProviderStandIn keys, DemoProvider demo) throws Exception {
        List<String> apps = new ArrayList<>();
        JSON.readTree(keys.catalog()).path("apps").forEach(app -> apps.add(app.toString()));
        apps.add(demo.catalogApp());
        return apps;
    }
}
