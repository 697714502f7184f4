package app.connections.functions.oauth;

import app.connections.api.Routes;
import app.connections.api.lambda.HttpApi;
import app.connections.oauth.ConnectFlow;
import app.connections.oauth.http.OAuthRoutes;
import app.connections.wiring.Services;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;

/** The OAuth connect flow: connect sessions, the popup's start, and the provider's callback. */
public final class OAuthHandler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {
    private final Routes routes;

    public OAuthHandler() {
        this(Services.fromEnvironment());
    }

    private OAuthHandler(Services services) {
        this(services.connectFlow(), services.config().builderOrigin());
        services.primeBeforeSnapshot(() -> HttpApi.prime(routes));
    }

    OAuthHandler(ConnectFlow flow, String builderOrigin) {
        this.routes = OAuthRoutes.of(flow, builderOrigin);
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        return HttpApi.handle(event, context, routes);
    }

    Routes routes() {
        return routes;
    }
}
