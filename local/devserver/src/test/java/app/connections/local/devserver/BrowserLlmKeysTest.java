package app.connections.local.devserver;

import app.connections.local.aws.CognitoUsers;
import app.connections.local.aws.LocalAws;
import app.connections.local.aws.LocalAwsExtension;
import app.connections.local.aws.ProviderStandIn;
import app.connections.workspace.Workspace;
import app.connections.workspace.aws.DynamoWorkspaceRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The LLM Keys page in a real headless Chromium (browser-tests/llm-keys.test.mjs): an OpenAI key
 * added at account scope, granted to two workspaces with caps, spent through the resolver (the Lambda
 * Invoke API), the spend bars, a cap changed, a grant removed; a member turned away. axe-core on each state.
 */
@ExtendWith(LocalAwsExtension.class)
class BrowserLlmKeysTest {
    static final String PASSWORD = "Test-only-Passw0rd!";

    @Test
    void anAdminSharesAnOpenAiKeyWithCapsAndWatchesTheSpend(LocalAws local) throws Exception {
        Path root = local.root();
        String account = "acct-" + UUID.randomUUID().toString().substring(0, 8);
        var registry = new DynamoWorkspaceRegistry(local.clients().dynamo(), local.stack().table());
        registry.put(new Workspace("ws-acme", account, "Acme Corp"));
        registry.put(new Workspace("ws-globex", account, "Globex"));
        CognitoUsers users = new CognitoUsers(local.stack());
        String owner = "owner-" + account + "@test.example";
        users.ensure("BuilderUserPool", owner, Map.of("custom:account_id", account, "custom:account_role", "admin",
                "custom:workspace_roles", ""), PASSWORD);
        String member = "member-" + account + "@test.example";
        users.ensure("BuilderUserPool", member, Map.of("custom:account_id", account, "custom:account_role", "member",
                "custom:workspace_roles", "ws-acme:admin"), PASSWORD);
        try (ProviderStandIn keys = new ProviderStandIn().accept("sk-browser-agency-key", "{\"data\": []}")) {
            Path catalog = Files.createTempFile("catalog", ".json");
            Files.writeString(catalog, keys.catalog());
            try (DevServer server = DevServer.start(local, 0, Map.of("CATALOG_FILE", catalog.toString()))) {
                BrowserTests.run(root, "llm-keys.test.mjs", Map.ofEntries(Map.entry("BASE_URL", server.baseUrl()),
                        Map.entry("ADMIN_TOKEN", users.idToken("BuilderUserPool", owner, PASSWORD)),
                        Map.entry("MEMBER_TOKEN", users.idToken("BuilderUserPool", member, PASSWORD)),
                        Map.entry("ACCOUNT", account), Map.entry("WS_A", "ws-acme"), Map.entry("WS_A_NAME", "Acme Corp"),
                        Map.entry("WS_B", "ws-globex"), Map.entry("WS_B_NAME", "Globex"),
                        Map.entry("OPENAI_KEY", "sk-browser-agency-key"),
                        Map.entry("SCREENSHOTS", root.resolve("local/devserver/target/screenshots").toString())));
            }
        }
    }
}
