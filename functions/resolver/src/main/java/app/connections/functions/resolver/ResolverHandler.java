package app.connections.functions.resolver;

import app.connections.platform.aws.Services;
import app.connections.resolve.ResolveRequest;
import app.connections.resolve.ResolveResult;
import app.connections.resolve.Resolver;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import java.util.Map;
import software.amazon.lambda.powertools.logging.PowertoolsLogging;

/**
 * The runtime resolver (invoked by the workflow runtime with IAM, not through API Gateway):
 * {@code {"connectionId", "accountId", "workspaceId", "runId", "stepId"}} to ok / waiting / denied.
 */
public final class ResolverHandler implements RequestHandler<Map<String, Object>, Map<String, Object>> {
    private final Resolver resolver;

    public ResolverHandler() {
        this(Services.fromEnvironment());
    }

    private ResolverHandler(Services services) {
        this(services.resolver(services.catalog()));
    }

    ResolverHandler(Resolver resolver) {
        this.resolver = resolver;
    }

    @Override
    public Map<String, Object> handleRequest(Map<String, Object> input, Context context) {
        return PowertoolsLogging.withLogging(context, () -> ResolveRequest.parse(input)
                .map(resolver::resolve)
                .orElseGet(() -> new ResolveResult.Denied("bad_request"))
                .toMap());
    }
}
