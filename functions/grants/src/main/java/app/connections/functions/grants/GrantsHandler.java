package app.connections.functions.grants;

import app.connections.api.Routes;
import app.connections.api.lambda.HttpApi;
import app.connections.grant.Grants;
import app.connections.grant.http.GrantRoutes;
import app.connections.wiring.Services;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;

/** Grants of account connections to workspaces (with monthly spend caps) and the LLM keys page. */
public final class GrantsHandler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {
    private final Routes routes;

    public GrantsHandler() {
        this(Services.fromEnvironment());
    }

    private GrantsHandler(Services services) {
        this(services.grants());
        services.primeBeforeSnapshot(() -> HttpApi.prime(routes));
    }

    GrantsHandler(Grants grants) {
        this.routes = GrantRoutes.of(grants);
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        return HttpApi.handle(event, context, routes);
    }

    Routes routes() {
        return routes;
    }
}
