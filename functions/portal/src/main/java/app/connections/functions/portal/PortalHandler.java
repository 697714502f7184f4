package app.connections.functions.portal;

import app.connections.api.Routes;
import app.connections.api.lambda.HttpApi;
import app.connections.portal.Portal;
import app.connections.portal.http.PortalRoutes;
import app.connections.wiring.Services;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;

/** The client portal: a client connects, rotates and revokes the OAuth connections they authorized. */
public final class PortalHandler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {
    private final Routes routes;

    public PortalHandler() {
        this(Services.fromEnvironment());
    }

    private PortalHandler(Services services) {
        this(services.portal());
        services.primeBeforeSnapshot(() -> HttpApi.prime(routes));
    }

    PortalHandler(Portal portal) {
        this.routes = PortalRoutes.of(portal);
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        return HttpApi.handle(event, context, routes);
    }

    Routes routes() {
        return routes;
    }
}
