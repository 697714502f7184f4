package app.connections.local.devserver;

import static org.assertj.core.api.Assertions.assertThat;

import app.connections.local.aws.CognitoUsers;
import app.connections.local.aws.LocalAws;
import app.connections.local.aws.LocalAwsExtension;
import app.connections.local.aws.ProviderStandIn;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Issue "API-key connections": the whole story through the dev server, with real user-pool tokens. */
@ExtendWith(LocalAwsExtension.class)
class DevServerConnectionsTest {
    static final String PASSWORD = "Test-only-Passw0rd!";
    static final HttpClient HTTP = HttpClient.newHttpClient();
    static final ObjectMapper JSON = new ObjectMapper();
    static DevServer server;
    static ProviderStandIn provider;
    static String account;
    static Map<String, String> tokens = new java.util.HashMap<>();

    @BeforeAll
    static void start(LocalAws local) throws Exception {
        provider = new ProviderStandIn().accept("fd-key-acme", "{\"id\": 77}");
        Path catalog = Files.createTempFile("catalog", ".json");
        Files.writeString(catalog, provider.catalog());
        server = DevServer.start(local, 0, Map.of("CATALOG_FILE", catalog.toString()));
        account = "acct-" + UUID.randomUUID().toString().substring(0, 8);
        CognitoUsers users = new CognitoUsers(local.stack());
        user(users, "owner", account, "admin", "");
        user(users, "acme-admin", account, "member", "ws-acme:admin");
        user(users, "acme-editor", account, "member", "ws-acme:editor");
        user(users, "globex-admin", account, "member", "ws-globex:admin");
        user(users, "stranger", "acct-" + UUID.randomUUID().toString().substring(0, 8), "admin", "");
        for (String ws : new String[] {"ws-acme", "ws-globex"}) {
            assertThat(send("owner", "PUT", "/accounts/" + account + "/workspaces/" + ws, "{\"name\":\"" + ws + "\"}").statusCode())
                    .isEqualTo(200);
        }
    }

    static void user(CognitoUsers users, String name, String accountId, String role, String workspaceRoles) {
        String email = name + "-" + account + "@test.example";
        users.ensure("BuilderUserPool", email, Map.of("custom:account_id", accountId, "custom:account_role", role,
                "custom:workspace_roles", workspaceRoles), PASSWORD);
        tokens.put(name, users.idToken("BuilderUserPool", email, PASSWORD));
    }

    @AfterAll
    static void stop() {
        server.close();
        provider.close();
    }

    static HttpResponse<String> send(String who, String method, String path, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server.baseUrl() + path))
                .header("Authorization", "Bearer " + tokens.get(who))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("content-type", "application/json");
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    static JsonNode picker(String who, String query) throws Exception {
        HttpResponse<String> response = send(who, "GET", "/workspaces/ws-acme/connections?" + query, null);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body()).path("connections");
    }

    @Test
    void anAdminConnectsFreshdeskAndTheWorkspacesEditorPicksItWhileOthersCannotSeeIt() throws Exception {
        String create = "{\"app\":\"freshdesk\",\"label\":\"Acme Freshdesk\",\"credentials\":{\"apiKey\":\"fd-key-acme\"},"
                + "\"fields\":{\"subdomain\":\"acme\"}}";
        HttpResponse<String> created = send("acme-admin", "POST", "/workspaces/ws-acme/connections", create);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        String id = JSON.readTree(created.body()).path("id").asText();
        assertThat(created.headers().firstValue("location")).contains("/workspaces/ws-acme/connections/" + id);

        assertThat(picker("acme-editor", "app=freshdesk&authKind=API_KEY")).extracting(n -> n.path("id").asText()).containsExactly(id);
        assertThat(picker("acme-editor", "app=slack")).isEmpty();
        assertThat(picker("acme-editor", "app=freshdesk&authKind=OAUTH2")).isEmpty();
        assertThat(picker("acme-editor", "app=freshdesk&authKind=OAUTH2&authKind=API_KEY")).hasSize(1);

        for (String outsider : new String[] {"globex-admin", "stranger"}) {
            assertThat(send(outsider, "GET", "/workspaces/ws-acme/connections/" + id, null).statusCode()).isEqualTo(404);
            assertThat(send(outsider, "GET", "/workspaces/ws-acme/connections?app=freshdesk", null).statusCode()).isEqualTo(404);
            assertThat(send(outsider, "PATCH", "/workspaces/ws-acme/connections/" + id, "{\"label\":\"mine\"}").statusCode()).isEqualTo(404);
            assertThat(send(outsider, "DELETE", "/workspaces/ws-acme/connections/" + id, null).statusCode()).isEqualTo(404);
        }
        assertThat(send("globex-admin", "GET", "/workspaces/ws-globex/connections/" + id, null).statusCode()).isEqualTo(404);

        HttpResponse<String> again = send("acme-admin", "POST", "/workspaces/ws-acme/connections", create);
        assertThat(again.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(again.body()).path("id").asText()).isEqualTo(id);
        assertThat(picker("acme-editor", "app=freshdesk")).hasSize(1);
    }

    @Test
    void theCatalogIsServedToAnySignedInBuilderUser() throws Exception {
        HttpResponse<String> apps = send("acme-editor", "GET", "/apps", null);

        assertThat(apps.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(apps.body()).path("apps").size()).isGreaterThanOrEqualTo(17);
    }
}
