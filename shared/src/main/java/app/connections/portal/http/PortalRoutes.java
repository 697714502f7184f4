package app.connections.portal.http;

import app.connections.api.HttpRequest;
import app.connections.api.HttpResponse;
import app.connections.api.Routes;
import app.connections.auth.PortalClient;
import app.connections.auth.Principals;
import app.connections.connection.Connection;
import app.connections.connection.http.AppView;
import app.connections.connection.http.PublicConnection;
import app.connections.oauth.ConnectSession;
import app.connections.oauth.NewConnectSession;
import app.connections.oauth.http.OAuthRoutes;
import app.connections.platform.InvalidField;
import app.connections.portal.Portal;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/** The client portal's routes (portal user pool). */
public final class PortalRoutes {
    private static final Set<String> SESSION_MEMBERS = Set.of("app", "label", "fields", "nonce");

    private PortalRoutes() {
    }

    /** What the portal shows of a connection: public fields, status, and the last successful refresh. */
    public record PortalConnection(PublicConnection connection, String lastRefreshedAt) {
        static PortalConnection of(Connection c) {
            return new PortalConnection(PublicConnection.of(c), c.tokenSchedule().flatMap(t -> t.refreshedAt())
                    .map(Object::toString).orElse(null));
        }
    }

    public static Routes of(Portal portal) {
        Map<String, Function<HttpRequest, HttpResponse>> routes = new LinkedHashMap<>();
        routes.put("POST /portal/connect-sessions", request -> {
            JsonNode body = request.jsonBody();
            body.fieldNames().forEachRemaining(name -> {
                if (!SESSION_MEMBERS.contains(name)) {
                    throw new InvalidField(name, "unknown member " + name);
                }
            });
            ConnectSession session = portal.connect(client(request), new NewConnectSession(HttpRequest.requiredText(body, "app"),
                    HttpRequest.optionalText(body, "label"), HttpRequest.stringMap(body, "fields"), null,
                    HttpRequest.optionalText(body, "nonce")));
            return HttpResponse.json(201, Map.of("sessionId", session.id(), "authorizeUrl", portal.startUrl(session),
                    "expiresAt", session.expiresAt().toString()));
        });
        routes.put("POST /portal/connect-sessions/{sessionId}/complete", request -> OAuthRoutes.completed(
                portal.complete(client(request), request.path("sessionId"), OAuthRoutes.completionCode(request))));
        routes.put("GET /portal/apps", request -> HttpResponse.json(200, Map.of("apps",
                portal.apps(client(request)).stream().map(AppView::of).toList())));
        routes.put("GET /portal/connections", request -> HttpResponse.json(200, Map.of("connections",
                portal.connections(client(request)).stream().map(PortalConnection::of).toList())));
        routes.put("POST /portal/connections/{connectionId}/rotate", request ->
                switch (portal.rotate(client(request), request.path("connectionId"), OAuthRoutes.optionalNonce(request))) {
                    case Portal.Rotation.Rotated r -> HttpResponse.json(200, Map.of("status", "rotated",
                            "connection", PortalConnection.of(r.connection())));
                    case Portal.Rotation.ReauthorizationRequired r -> HttpResponse.json(200, Map.of(
                            "status", "reauthorization_required", "reauthorizeUrl", r.reauthorizeUrl()));
                });
        routes.put("DELETE /portal/connections/{connectionId}", request -> HttpResponse.json(200,
                PortalConnection.of(portal.revoke(client(request), request.path("connectionId")))));
        return Routes.of(routes);
    }

    private static PortalClient client(HttpRequest request) {
        return Principals.portalClient(request.claims());
    }
}
