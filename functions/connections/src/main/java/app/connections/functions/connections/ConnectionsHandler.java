package app.connections.functions.connections;

import app.connections.api.Routes;
import app.connections.api.lambda.HttpApi;
import app.connections.catalog.AppCatalog;
import app.connections.connection.Connections;
import app.connections.connection.http.ConnectionRoutes;
import app.connections.wiring.Services;
import app.connections.connection.Alerts;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;

/** The builder's connections: the catalog, API-key connect, the picker, read, rename, revoke, the banner. */
public final class ConnectionsHandler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {
    private final Routes routes;

    public ConnectionsHandler() {
        this(Services.fromEnvironment());
    }

    private ConnectionsHandler(Services services) {
        this(services, services.catalog());
    }

    private ConnectionsHandler(Services services, AppCatalog catalog) {
        this(services.connections(), catalog, services.alerts());
        services.primeBeforeSnapshot(() -> HttpApi.prime(routes));
    }

    ConnectionsHandler(Connections connections, AppCatalog catalog, Alerts alerts) {
        this.routes = ConnectionRoutes.of(connections, catalog, alerts);
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        return HttpApi.handle(event, context, routes);
    }

    Routes routes() {
        return routes;
    }
}
