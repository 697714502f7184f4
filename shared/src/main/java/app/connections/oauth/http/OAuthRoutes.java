package app.connections.oauth.http;

import app.connections.api.HttpRequest;
import app.connections.api.HttpResponse;
import app.connections.api.Routes;
import app.connections.auth.Principals;
import app.connections.connection.Target;
import app.connections.oauth.CallbackResult;
import app.connections.oauth.ConnectFlow;
import app.connections.oauth.ConnectSession;
import app.connections.oauth.NewConnectSession;
import app.connections.oauth.OAuthFlowException;
import app.connections.platform.InvalidField;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/** The OAuth connect routes: connect sessions (builder JWT), and the popup's start and callback (no JWT). */
public final class OAuthRoutes {
    private static final Set<String> SESSION_MEMBERS = Set.of("app", "label", "fields", "reconnectConnectionId");

    private OAuthRoutes() {
    }

    public static Routes of(ConnectFlow flow, String builderOrigin) {
        Map<String, Function<HttpRequest, HttpResponse>> routes = new LinkedHashMap<>();
        routes.put("POST /workspaces/{workspaceId}/connect-sessions",
                request -> createSession(flow, request, Target.workspace(request.path("workspaceId"))));
        routes.put("POST /accounts/{accountId}/connect-sessions",
                request -> createSession(flow, request, Target.account(request.path("accountId"))));
        routes.put("GET /oauth/start", request -> {
            try {
                return new HttpResponse(302, Map.of("location", flow.start(request.query("session").orElse(null)).toString(),
                        "cache-control", "no-store", "referrer-policy", "no-referrer"), "");
            } catch (OAuthFlowException e) {
                return ResultPage.error(builderOrigin, e.code());
            }
        });
        routes.put("GET /oauth/callback", request -> switch (flow.callback(request.query())) {
            case CallbackResult.Connected c -> ResultPage.success(builderOrigin, c.connectionId());
            case CallbackResult.Failed failed -> ResultPage.error(builderOrigin, failed.error());
        });
        return Routes.of(routes);
    }

    private static HttpResponse createSession(ConnectFlow flow, HttpRequest request, Target target) {
        var caller = Principals.builderUser(request.claims());
        JsonNode body = request.jsonBody();
        body.fieldNames().forEachRemaining(name -> {
            if (!SESSION_MEMBERS.contains(name)) {
                throw new InvalidField(name, "unknown member " + name);
            }
        });
        ConnectSession session = flow.createSession(caller, target, new NewConnectSession(
                HttpRequest.requiredText(body, "app"), HttpRequest.optionalText(body, "label"),
                HttpRequest.stringMap(body, "fields"), HttpRequest.optionalText(body, "reconnectConnectionId")));
        return HttpResponse.json(201, Map.of("sessionId", session.id(), "authorizeUrl", flow.startUrl(session).toString(),
                "expiresAt", session.expiresAt().toString()));
    }
}
