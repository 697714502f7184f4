package app.connections.functions.resolver;

import app.connections.api.lambda.LocalLambdaContext;
import app.connections.catalog.AppCatalog;
import app.connections.grant.Grants;
import app.connections.grant.SettleRequest;
import app.connections.platform.Metric;
import app.connections.platform.Metrics;
import app.connections.wiring.Services;
import app.connections.resolve.ResolveRequest;
import app.connections.resolve.ResolveResult;
import app.connections.resolve.Resolver;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import java.util.Map;
import app.connections.api.lambda.LambdaLogContext;

/**
 * The runtime resolver (invoked by the workflow runtime with IAM, not through API Gateway):
 * {@code {"connectionId", "accountId", "workspaceId", "runId", "stepId", "estimatedCostUsd"?}} to ok / waiting /
 * denied, and {@code {"reservationId", "actualCostUsd"}} to settle a granted connection's spend.
 */
public final class ResolverHandler implements RequestHandler<Map<String, Object>, Map<String, Object>> {
    private final Resolver resolver;
    private final Grants grants;
    private final Metrics metrics;

    public ResolverHandler() {
        this(Services.fromEnvironment());
    }

    private ResolverHandler(Services services) {
        this(services, services.catalog());
    }

    private ResolverHandler(Services services, AppCatalog catalog) {
        this(services.resolver(), services.grants(), services.metrics());
        // an input without ids is refused before any read: parsing, the answer and logging are primed
        services.primeBeforeSnapshot(() -> handleRequest(Map.of(), new LocalLambdaContext("priming", "priming", 0)));
    }

    ResolverHandler(Resolver resolver, Grants grants) {
        this(resolver, grants, Metrics.NONE);
    }

    ResolverHandler(Resolver resolver, Grants grants, Metrics metrics) {
        this.resolver = resolver;
        this.grants = grants;
        this.metrics = metrics;
    }

    /** A resolve, or the settle of a spend reservation ({@code {"reservationId", "actualCostUsd"}}). */
    @Override
    public Map<String, Object> handleRequest(Map<String, Object> input, Context context) {
        Object runId = input == null ? null : input.get("runId"); // the run: the correlation id of its resolves
        return LambdaLogContext.with(context, runId instanceof String r ? r : null, () -> input != null && input.containsKey("reservationId")
                ? SettleRequest.parse(input).map(s -> Map.<String, Object>of("status",
                        grants.settle(s.reservationId(), s.actualMicros()).name().toLowerCase(java.util.Locale.ROOT)))
                        .orElseGet(() -> Map.of("status", "denied", "reason", "bad_request"))
                : ResolveRequest.parse(input).map(resolver::resolve)
                        .orElseGet(() -> {
                            metrics.count(Metric.RESOLVES, "denied:bad_request");
                            return new ResolveResult.Denied("bad_request");
                        }).toMap());
    }
}
