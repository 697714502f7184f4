package app.connections.workspace.http;

import app.connections.api.HttpRequest;
import app.connections.api.HttpResponse;
import app.connections.api.Routes;
import app.connections.auth.Principals;
import app.connections.workspace.Workspaces;
import java.util.Map;

/** The workspace registry's routes (account admins). */
public final class WorkspaceRoutes {
    private WorkspaceRoutes() {
    }

    public static Routes of(Workspaces workspaces) {
        return Routes.of(Map.of(
                "PUT /accounts/{accountId}/workspaces/{workspaceId}", request -> HttpResponse.json(200, workspaces.put(
                        Principals.builderUser(request.claims()), request.path("accountId"), request.path("workspaceId"),
                        HttpRequest.requiredText(request.jsonBody(), "name"))),
                "GET /accounts/{accountId}/workspaces", request -> HttpResponse.json(200, Map.of("workspaces",
                        workspaces.list(Principals.builderUser(request.claims()), request.path("accountId"))))));
    }
}
