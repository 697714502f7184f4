package app.connections.grant.http;

import app.connections.api.HttpRequest;
import app.connections.api.HttpResponse;
import app.connections.api.Routes;
import app.connections.auth.BuilderUser;
import app.connections.auth.Principals;
import app.connections.connection.http.PublicConnection;
import app.connections.grant.Grants;
import app.connections.grant.Money;
import app.connections.platform.InvalidField;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/** Grants of account connections to workspaces, and the LLM keys page (account admins). */
public final class GrantRoutes {
    private static final Set<String> GRANT_MEMBERS = Set.of("workspaceId", "monthlySpendCapUsd");

    private GrantRoutes() {
    }

    public static Routes of(Grants grants) {
        Map<String, Function<HttpRequest, HttpResponse>> routes = new LinkedHashMap<>();
        routes.put("POST /accounts/{accountId}/connections/{connectionId}/grants", request -> {
            JsonNode body = request.jsonBody();
            body.fieldNames().forEachRemaining(name -> {
                if (!GRANT_MEMBERS.contains(name)) {
                    throw new InvalidField(name, "unknown member " + name);
                }
            });
            JsonNode cap = body.get("monthlySpendCapUsd");
            Optional<Long> capMicros = cap == null || cap.isNull() ? Optional.empty()
                    : Optional.of(Money.micros(cap, "monthlySpendCapUsd"));
            Grants.Granted granted = grants.grant(caller(request), request.path("accountId"), request.path("connectionId"),
                    HttpRequest.requiredText(body, "workspaceId"), capMicros);
            return HttpResponse.json(granted.created() ? 201 : 200, granted.grant());
        });
        routes.put("GET /accounts/{accountId}/connections/{connectionId}/grants", request -> HttpResponse.json(200,
                Map.of("grants", grants.list(caller(request), request.path("accountId"), request.path("connectionId")))));
        routes.put("DELETE /accounts/{accountId}/connections/{connectionId}/grants/{workspaceId}", request -> {
            grants.revoke(caller(request), request.path("accountId"), request.path("connectionId"), request.path("workspaceId"));
            return HttpResponse.json(200, Map.of("revoked", true, "workspaceId", request.path("workspaceId")));
        });
        routes.put("GET /accounts/{accountId}/llm-keys", request -> HttpResponse.json(200,
                Map.of("llmKeys", grants.llmKeys(caller(request), request.path("accountId")).stream()
                        .map(key -> Map.of("connection", PublicConnection.of(key.connection()), "grants", key.grants()))
                        .toList())));
        return Routes.of(routes);
    }

    private static BuilderUser caller(HttpRequest request) {
        return Principals.builderUser(request.claims());
    }
}
