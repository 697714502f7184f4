package app.connections.functions.connections;

import app.connections.local.aws.LocalAws;
import app.connections.local.aws.ProviderStandIn;
import app.connections.platform.Environment;
import app.connections.platform.Json;
import app.connections.workspace.Workspace;
import app.connections.workspace.aws.DynamoWorkspaceRegistry;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/**
 * One tenant's world for handler tests: a fresh account with workspaces {@code ws-acme} and
 * {@code ws-globex}, the handler built as Lambda builds it (no-arg constructor, template
 * environment) with a custom catalog that sends Freshdesk and OpenAI key checks to a local
 * stand-in provider, and the sample events of {@code events/connections}.
 */
final class ConnectionsFixture {
    final LocalAws local;
    final ProviderStandIn provider = new ProviderStandIn();
    final String account = "acct-" + UUID.randomUUID().toString().substring(0, 8);
    final ConnectionsHandler handler;

    ConnectionsFixture(LocalAws local) throws Exception {
        this.local = local;
        Path catalog = Files.createTempFile("catalog", ".json");
        Files.writeString(catalog, provider.catalog());
        Map<String, String> env = new HashMap<>(local.environmentOf("ConnectionsFunction"));
        env.put("CATALOG_FILE", catalog.toString());
        env.put("OUTBOUND_ALLOW_LOOPBACK", "true");
        handler = Environment.with(env, ConnectionsHandler::new);
        var registry = new DynamoWorkspaceRegistry(local.clients().dynamo(), local.stack().table());
        registry.put(new Workspace("ws-acme", account, "Acme Corp"));
        registry.put(new Workspace("ws-globex", account, "Globex"));
    }

    APIGatewayV2HTTPEvent event(String name) throws Exception {
        try (InputStream in = Files.newInputStream(local.root().resolve("events/connections/" + name + ".json"))) {
            APIGatewayV2HTTPEvent event = LambdaEventSerializers.serializerFor(APIGatewayV2HTTPEvent.class,
                    getClass().getClassLoader()).fromJson(in);
            event.setPathParameters(event.getPathParameters() == null ? new HashMap<>() : new HashMap<>(event.getPathParameters()));
            if (event.getPathParameters().containsKey("accountId")) {
                event.getPathParameters().put("accountId", account);
            }
            return as(event, "member", "ws-acme:admin");
        }
    }

    /** The same event from a caller of this account with these roles. */
    APIGatewayV2HTTPEvent as(APIGatewayV2HTTPEvent event, String accountRole, String workspaceRoles) {
        Map<String, String> claims = new HashMap<>(event.getRequestContext().getAuthorizer().getJwt().getClaims());
        claims.put("custom:account_id", account);
        claims.put("custom:account_role", accountRole);
        claims.put("custom:workspace_roles", workspaceRoles);
        claims.put("sub", "user-" + accountRole + "-" + workspaceRoles.replace(':', '-'));
        event.getRequestContext().getAuthorizer().getJwt().setClaims(claims);
        return event;
    }

    APIGatewayV2HTTPEvent create(String workspaceId, String body) throws Exception {
        APIGatewayV2HTTPEvent event = event("create-freshdesk-api-key");
        event.getPathParameters().put("workspaceId", workspaceId);
        event.setBody(body);
        return event;
    }

    APIGatewayV2HTTPEvent onConnection(String name, String workspaceId, String connectionId) throws Exception {
        APIGatewayV2HTTPEvent event = event(name);
        event.getPathParameters().put("workspaceId", workspaceId);
        event.getPathParameters().put("connectionId", connectionId);
        return event;
    }

    APIGatewayV2HTTPEvent picker(String workspaceId, Map<String, String> query) throws Exception {
        APIGatewayV2HTTPEvent event = event("picker");
        event.getPathParameters().put("workspaceId", workspaceId);
        event.setQueryStringParameters(new HashMap<>(query));
        return event;
    }

    APIGatewayV2HTTPResponse call(APIGatewayV2HTTPEvent event) {
        return handler.handleRequest(event, null);
    }

    static JsonNode json(APIGatewayV2HTTPResponse response) throws Exception {
        return Json.MAPPER.readTree(response.getBody());
    }

    /** The name prefix of this account's secrets. */
    String secretPrefix() {
        return local.environmentOf("ConnectionsFunction").get("SECRET_NAME_PREFIX") + "/" + account + "/";
    }

    /** How many secrets exist for this account, scheduled deletions included, to prove "nothing stored". */
    int secretsOfAccount() {
        return local.stack().clients().secrets().listSecrets(b -> b.includePlannedDeletion(true)
                .filters(f -> f.key("name").values(secretPrefix()))).secretList().size();
    }
}
