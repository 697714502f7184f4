package app.connections.functions.workspaces;

import app.connections.api.Routes;
import app.connections.api.lambda.HttpApi;
import app.connections.wiring.Services;
import app.connections.workspace.Workspaces;
import app.connections.workspace.http.WorkspaceRoutes;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;

/** The workspace registry of an account: {@code PUT} and {@code GET /accounts/{accountId}/workspaces…}. */
public final class WorkspacesHandler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {
    private final Routes routes;

    public WorkspacesHandler() {
        this(Services.fromEnvironment());
    }

    private WorkspacesHandler(Services services) {
        this(services.workspaces());
        services.primeBeforeSnapshot(() -> HttpApi.prime(routes));
    }

    WorkspacesHandler(Workspaces workspaces) {
        this.routes = WorkspaceRoutes.of(workspaces);
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        return HttpApi.handle(event, context, routes);
    }

    Routes routes() {
        return routes;
    }
}
