package app.connections.connection.http;

import app.connections.api.HttpRequest;
import app.connections.api.HttpResponse;
import app.connections.api.Routes;
import app.connections.auth.BuilderUser;
import app.connections.auth.Principals;
import app.connections.catalog.AppCatalog;
import app.connections.connection.ConnectResult;
import app.connections.connection.Connection;
import app.connections.connection.Connections;
import app.connections.catalog.CredentialKind;
import app.connections.connection.NewKeyConnection;
import app.connections.connection.Page;
import app.connections.connection.Scope;
import app.connections.connection.Target;
import app.connections.platform.InvalidField;
import app.connections.connection.Alerts;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/** The builder's connection routes: HTTP in, one use case, HTTP out. */
public final class ConnectionRoutes {
    private static final Set<String> CREATE_MEMBERS = Set.of("app", "label", "credentialKind", "credentials", "fields");

    private ConnectionRoutes() {
    }

    public static Routes of(Connections connections, AppCatalog catalog, Alerts alerts) {
        Map<String, Function<HttpRequest, HttpResponse>> routes = new LinkedHashMap<>();
        routes.put("GET /apps", request -> {
            Principals.builderUser(request.claims());
            return HttpResponse.json(200, Map.of("apps", catalog.all().stream().map(AppView::of).toList()));
        });
        routes.put("POST /workspaces/{workspaceId}/connections",
                request -> create(connections, request, Target.workspace(request.path("workspaceId"))));
        routes.put("POST /accounts/{accountId}/connections",
                request -> create(connections, request, Target.account(request.path("accountId"))));
        routes.put("GET /workspaces/{workspaceId}/connections", request -> picker(connections, request));
        routes.put("GET /workspaces/{workspaceId}/alerts", request -> HttpResponse.json(200,
                alerts.of(caller(request), request.path("workspaceId"))));
        for (String base : new String[] {"/workspaces/{workspaceId}", "/accounts/{accountId}"}) {
            routes.put("GET " + base + "/connections/{connectionId}", request -> ok(
                    connections.get(caller(request), target(request), request.path("connectionId"))));
            routes.put("PATCH " + base + "/connections/{connectionId}", request -> ok(
                    connections.rename(caller(request), target(request), request.path("connectionId"), label(request))));
            routes.put("DELETE " + base + "/connections/{connectionId}", request -> ok(
                    connections.revoke(caller(request), target(request), request.path("connectionId"))));
        }
        return Routes.of(routes);
    }

    private static HttpResponse create(Connections connections, HttpRequest request, Target target) {
        BuilderUser caller = caller(request);
        JsonNode body = request.jsonBody();
        body.fieldNames().forEachRemaining(name -> {
            if (!CREATE_MEMBERS.contains(name)) {
                throw new InvalidField(name, "unknown member " + name);
            }
        });
        String kind = HttpRequest.optionalText(body, "credentialKind");
        CredentialKind credentialKind = null;
        if (kind != null) {
            try {
                credentialKind = CredentialKind.valueOf(kind.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new InvalidField("credentialKind", "credentialKind must be one of OAUTH2, API_KEY, BASIC, DSN, CUSTOM");
            }
        }
        ConnectResult result = connections.connectWithKey(caller, target, new NewKeyConnection(
                HttpRequest.requiredText(body, "app"), HttpRequest.optionalText(body, "label"), credentialKind,
                HttpRequest.stringMap(body, "credentials"), HttpRequest.stringMap(body, "fields")));
        Connection c = result.connection();
        String location = (target.scope() == Scope.WORKSPACE ? "/workspaces/" : "/accounts/")
                + target.ownerId() + "/connections/" + c.id();
        int status = result instanceof ConnectResult.Created ? 201 : 200;
        return HttpResponse.json(status, PublicConnection.of(c), Map.of("location", location));
    }

    private static HttpResponse picker(Connections connections, HttpRequest request) {
        Optional<Integer> limit = request.query("limit").map(v -> {
            try {
                return Integer.parseInt(v);
            } catch (NumberFormatException e) {
                throw new InvalidField("limit", "limit must be a whole number");
            }
        });
        Page<Connection> page = connections.picker(caller(request), request.path("workspaceId"), request.query("app"),
                Connections.parseKinds(request.query("authKind")), limit, request.query("nextToken"));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("connections", page.items().stream().map(PublicConnection::of).toList());
        page.nextToken().ifPresent(token -> body.put("nextToken", token));
        return HttpResponse.json(200, body);
    }

    private static String label(HttpRequest request) {
        JsonNode body = request.jsonBody();
        body.fieldNames().forEachRemaining(name -> {
            if (!name.equals("label")) {
                throw new InvalidField(name, "only the label can be changed");
            }
        });
        return HttpRequest.requiredText(body, "label");
    }

    private static HttpResponse ok(Connection connection) {
        return HttpResponse.json(200, PublicConnection.of(connection));
    }

    private static BuilderUser caller(HttpRequest request) {
        return Principals.builderUser(request.claims());
    }

    private static Target target(HttpRequest request) {
        return request.pathParameters().containsKey("workspaceId")
                ? Target.workspace(request.path("workspaceId"))
                : Target.account(request.path("accountId"));
    }
}
