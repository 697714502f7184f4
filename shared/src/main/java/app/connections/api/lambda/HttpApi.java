package app.connections.api.lambda;

import app.connections.api.ErrorMapper;
import app.connections.api.HttpRequest;
import app.connections.api.HttpResponse;
import app.connections.api.Routes;
import app.connections.platform.DomainException;
import app.connections.platform.Metric;
import app.connections.platform.logging.LogFields;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns an API Gateway HTTP API (payload v2) event into an {@link HttpRequest}, runs the route,
 * and turns the result or the error into the response. Logs one structured line per request with
 * the route and status — never a body, header value or claim other than the caller's ids.
 */
public final class HttpApi {
    private static final Logger LOG = LoggerFactory.getLogger(HttpApi.class);

    private HttpApi() {
    }

    public static APIGatewayV2HTTPResponse handle(APIGatewayV2HTTPEvent event, Context context, Routes routes) {
        String requestId = event.getRequestContext() == null ? null : event.getRequestContext().getRequestId();
        return LambdaLogContext.with(context, requestId, () -> {
            HttpRequest request = toRequest(event);
            HttpResponse response;
            try {
                response = routes.handle(request);
                LOG.atInfo().addKeyValue(LogFields.ROUTE, request.routeKey()).addKeyValue(LogFields.STATUS, response.status())
                        .log("request");
            } catch (DomainException e) {
                response = ErrorMapper.toResponse(e);
                LOG.atInfo().addKeyValue(LogFields.ROUTE, request.routeKey()).addKeyValue(LogFields.STATUS, response.status())
                        .addKeyValue(LogFields.ERROR, e.code()).log("request");
            } catch (RuntimeException e) {
                response = ErrorMapper.toResponse(e);
                LOG.atError().addKeyValue(LogFields.ROUTE, request.routeKey()).addKeyValue(LogFields.STATUS, response.status())
                        .setCause(e).log("request failed");
            }
            count(request.routeKey(), response.status());
            return toEvent(response);
        });
    }

    /** API 4xx and 5xx by route (the template's route key: low-cardinality, never a path with ids). */
    private static void count(String route, int status) {
        if (status >= 500) {
            LambdaLogContext.metrics().count(Metric.API_SERVER_ERRORS, route);
        } else if (status >= 400) {
            LambdaLogContext.metrics().count(Metric.API_CLIENT_ERRORS, route);
        }
    }

    /**
     * Priming for SnapStart: one request for a route no function has, through the same path as a
     * real one (event conversion, routing, error mapping, JSON, structured logging). It is answered
     * 404 before any store, vault or provider is touched.
     */
    public static void prime(Routes routes) {
        APIGatewayV2HTTPEvent event = APIGatewayV2HTTPEvent.builder()
                .withRouteKey("GET /_priming")
                .withRawPath("/_priming")
                .withHeaders(Map.of("accept", "application/json"))
                .build();
        handle(event, new LocalLambdaContext("priming", "priming", System.currentTimeMillis() + 10_000), routes);
    }

    static HttpRequest toRequest(APIGatewayV2HTTPEvent event) {
        Map<String, String> headers = new HashMap<>();
        if (event.getHeaders() != null) {
            event.getHeaders().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), v));
        }
        String body = event.getBody();
        if (body != null && event.getIsBase64Encoded()) {
            body = new String(Base64.getDecoder().decode(body), StandardCharsets.UTF_8);
        }
        Map<String, String> claims = Map.of();
        var ctx = event.getRequestContext();
        if (ctx != null && ctx.getAuthorizer() != null && ctx.getAuthorizer().getJwt() != null
                && ctx.getAuthorizer().getJwt().getClaims() != null) {
            claims = ctx.getAuthorizer().getJwt().getClaims();
        }
        return new HttpRequest(event.getRouteKey(), event.getPathParameters(), event.getQueryStringParameters(),
                headers, body, claims);
    }

    static APIGatewayV2HTTPResponse toEvent(HttpResponse response) {
        return APIGatewayV2HTTPResponse.builder()
                .withStatusCode(response.status())
                .withHeaders(response.headers())
                .withBody(response.body())
                .withIsBase64Encoded(false)
                .build();
    }
}
