package app.connections.functions.workspaces;

import app.connections.api.HttpRequest;
import app.connections.api.HttpResponse;
import app.connections.api.Routes;
import app.connections.api.lambda.HttpApi;
import app.connections.auth.Principals;
import app.connections.platform.Config;
import app.connections.platform.aws.AwsClients;
import app.connections.workspace.Workspace;
import app.connections.workspace.Workspaces;
import app.connections.workspace.aws.DynamoWorkspaceRegistry;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import java.util.Map;

/** The workspace registry of an account: {@code PUT} and {@code GET /accounts/{accountId}/workspaces…}. */
public final class WorkspacesHandler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {
    private final Routes routes;

    public WorkspacesHandler() {
        this(runtimeWorkspaces(Config.fromEnvironment(), new AwsClients()));
    }

    WorkspacesHandler(Workspaces workspaces) {
        this.routes = Routes.of(Map.of(
                "PUT /accounts/{accountId}/workspaces/{workspaceId}", request -> put(workspaces, request),
                "GET /accounts/{accountId}/workspaces", request -> list(workspaces, request)));
    }

    static Workspaces runtimeWorkspaces(Config config, AwsClients aws) {
        return new Workspaces(new DynamoWorkspaceRegistry(aws.dynamo(), config.tableName()));
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        return HttpApi.handle(event, context, routes);
    }

    Routes routes() {
        return routes;
    }

    private static HttpResponse put(Workspaces workspaces, HttpRequest request) {
        var caller = Principals.builderUser(request.claims());
        String name = HttpRequest.requiredText(request.jsonBody(), "name");
        Workspace workspace = workspaces.put(caller, request.path("accountId"), request.path("workspaceId"), name);
        return HttpResponse.json(200, workspace);
    }

    private static HttpResponse list(Workspaces workspaces, HttpRequest request) {
        var caller = Principals.builderUser(request.claims());
        return HttpResponse.json(200, Map.of("workspaces", workspaces.list(caller, request.path("accountId"))));
    }
}
