package app.connections.oauth.http;

import app.connections.api.HttpRequest;
import app.connections.api.ErrorBody;
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
    private static final Set<String> SESSION_MEMBERS = Set.of("app", "label", "fields", "reconnectConnectionId", "nonce");

    private OAuthRoutes() {
    }

    public static Routes of(ConnectFlow flow, String builderOrigin) {
        Map<String, Function<HttpRequest, HttpResponse>> routes = new LinkedHashMap<>();
        routes.put("POST /workspaces/{workspaceId}/connect-sessions",
                request -> createSession(flow, request, Target.workspace(request.path("workspaceId"))));
        routes.put("POST /accounts/{accountId}/connect-sessions",
                request -> createSession(flow, request, Target.account(request.path("accountId"))));
        routes.put("POST /workspaces/{workspaceId}/connect-sessions/{sessionId}/complete",
                request -> complete(flow, request, Target.workspace(request.path("workspaceId"))));
        routes.put("POST /accounts/{accountId}/connect-sessions/{sessionId}/complete",
                request -> complete(flow, request, Target.account(request.path("accountId"))));
        routes.put("GET /oauth/start", request -> {
            try {
                return new HttpResponse(302, Map.of("location", flow.start(request.query("session").orElse(null)).toString(),
                        "cache-control", "no-store", "referrer-policy", "no-referrer"), "");
            } catch (OAuthFlowException e) {
                return ResultPage.error(builderOrigin, e.code());
            }
        });
        routes.put("GET /oauth/callback", request -> switch (flow.callback(request.query())) {
            case CallbackResult.Authorized a -> ResultPage.authorized(builderOrigin, a);
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
                HttpRequest.stringMap(body, "fields"), HttpRequest.optionalText(body, "reconnectConnectionId"),
                HttpRequest.optionalText(body, "nonce")));
        return HttpResponse.json(201, Map.of("sessionId", session.id(), "authorizeUrl", flow.startUrl(session).toString(),
                "expiresAt", session.expiresAt().toString()));
    }

    private static HttpResponse complete(ConnectFlow flow, HttpRequest request, Target target) {
        var caller = Principals.builderUser(request.claims());
        return completed(flow.complete(new ConnectFlow.Completer(caller.accountId(), caller.userId(), ConnectSession.Opener.BUILDER),
                target, request.path("sessionId"), completionCode(request)));
    }

    /** {@code {"completionCode": "…"}}, the only member of a completion. */
    public static String completionCode(HttpRequest request) {
        JsonNode body = request.jsonBody();
        body.fieldNames().forEachRemaining(name -> {
            if (!name.equals("completionCode")) {
                throw new InvalidField(name, "unknown member " + name);
            }
        });
        String code = HttpRequest.requiredText(body, "completionCode");
        if (code.length() > 128) {
            throw new InvalidField("completionCode", "completionCode is at most 128 characters");
        }
        return code;
    }

    /** An optional {@code {"nonce": "…"}} body (a reconnect the portal starts). */
    public static String optionalNonce(HttpRequest request) {
        if (request.body() == null || request.body().isBlank()) {
            return null;
        }
        return NewConnectSession.checkNonce(HttpRequest.optionalText(request.jsonBody(), "nonce"));
    }

    /** A completion's answer: 200 with the connection, or 422 naming why the account was not connected. */
    public static HttpResponse completed(CallbackResult result) {
        return switch (result) {
            case CallbackResult.Connected c -> HttpResponse.json(200, Map.of("status", "success", "connectionId", c.connectionId(),
                    "created", c.created()));
            case CallbackResult.Failed f -> HttpResponse.json(422, new ErrorBody(f.error(), "the account was not connected ("
                    + f.error() + "); start again", null));
            case CallbackResult.Authorized a -> throw new IllegalStateException("a completion never answers authorized");
        };
    }
}
