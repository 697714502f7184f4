package app.connections.oauth.http;

import app.connections.api.HttpResponse;
import app.connections.oauth.CallbackResult;
import app.connections.oauth.Pkce;
import app.connections.platform.Json;
import com.fasterxml.jackson.core.JsonProcessingException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The page the OAuth popup ends on: it posts {@code {"type": "connections:oauth", "status", …}} to
 * the builder's exact origin (never {@code *}) and closes. No third-party resources, a strict CSP
 * with a per-response nonce, no referrer, not cached.
 */
public final class ResultPage {
    private ResultPage() {
    }

    public static HttpResponse success(String builderOrigin, String connectionId) {
        return render(builderOrigin, 200, Map.of("type", "connections:oauth", "status", "success", "connectionId", connectionId),
                "Connected. You can close this window.");
    }

    /**
     * The provider answered: the popup posts the session id, the one-time completion code and the
     * opener's nonce to the opener, which completes the flow with its own signed-in token.
     */
    public static HttpResponse authorized(String builderOrigin, CallbackResult.Authorized a) {
        Map<String, String> message = new LinkedHashMap<>();
        message.put("type", "connections:oauth");
        message.put("status", "authorized");
        message.put("sessionId", a.sessionId());
        message.put("completionCode", a.completionCode());
        a.nonce().ifPresent(n -> message.put("nonce", n));
        return render(builderOrigin, 200, message, "Almost done: returning to the page that opened this window.");
    }

    public static HttpResponse error(String builderOrigin, String error) {
        return render(builderOrigin, 400, Map.of("type", "connections:oauth", "status", "error", "error", error),
                "The account was not connected (" + error + "). You can close this window and try again.");
    }

    private static HttpResponse render(String builderOrigin, int status, Map<String, String> message, String text) {
        String nonce = Pkce.randomToken();
        String script = "(function(){var m=" + js(message) + ";try{if(window.opener){window.opener.postMessage(m,"
                + js(builderOrigin) + ");}}finally{window.close();}})();";
        String html = "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Connections</title></head>"
                + "<body><p id=\"result\">" + text.replace("&", "&amp;").replace("<", "&lt;") + "</p>"
                + "<script nonce=\"" + nonce + "\">" + script + "</script></body></html>";
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("content-type", "text/html; charset=utf-8");
        headers.put("cache-control", "no-store");
        headers.put("referrer-policy", "no-referrer");
        headers.put("x-content-type-options", "nosniff");
        headers.put("content-security-policy", "default-src 'none'; script-src 'nonce-" + nonce
                + "'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'");
        return new HttpResponse(status, headers, html);
    }

    /** A JSON literal safe inside a script element. */
    private static String js(Object value) {
        try {
            return Json.MAPPER.writeValueAsString(value).replace("<", "\\u003c").replace(">", "\\u003e")
                    .replace("&", "\\u0026").replace("\u2028", "\\u2028").replace("\u2029", "\\u2029");
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
