package app.connections.api;

import app.connections.platform.NotVisible;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * A function's routes: route key ({@code "<METHOD> <path>"}, as in template.yaml) to the code that
 * answers it. A test checks each function's keys against the template, so the two never drift.
 */
public final class Routes {
    private final Map<String, Function<HttpRequest, HttpResponse>> routes;

    private Routes(Map<String, Function<HttpRequest, HttpResponse>> routes) {
        this.routes = Map.copyOf(routes);
    }

    public static Routes of(Map<String, Function<HttpRequest, HttpResponse>> routes) {
        return new Routes(routes);
    }

    public Set<String> keys() {
        return routes.keySet();
    }

    public HttpResponse handle(HttpRequest request) {
        Function<HttpRequest, HttpResponse> route = routes.get(request.routeKey());
        if (route == null) {
            throw new NotVisible("route");
        }
        return route.apply(request);
    }
}
