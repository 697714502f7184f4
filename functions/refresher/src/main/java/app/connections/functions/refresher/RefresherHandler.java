package app.connections.functions.refresher;

import app.connections.wiring.Services;
import app.connections.refresh.RefreshRun;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import java.time.Duration;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import app.connections.api.lambda.LambdaLogContext;

/**
 * The scheduled refresher (EventBridge schedule, every REFRESH_PERIOD_MINUTES): refreshes every due OAuth
 * connection, stopping {@value #SAFETY_SECONDS} s before the function's time runs out.
 */
public final class RefresherHandler implements RequestHandler<Map<String, Object>, Map<String, Object>> {
    static final long SAFETY_SECONDS = 20;
    private static final Logger LOG = LoggerFactory.getLogger(RefresherHandler.class);
    private final RefreshRun run;

    public RefresherHandler() {
        this(Services.fromEnvironment());
    }

    private RefresherHandler(Services services) {
        this(services.refreshRun());
        services.primeBeforeSnapshot(() -> { }); // a run reads and writes: only the SDK request path is primed
    }

    RefresherHandler(RefreshRun run) {
        this.run = run;
    }

    @Override
    public Map<String, Object> handleRequest(Map<String, Object> scheduledEvent, Context context) {
        return LambdaLogContext.with(context, () -> {
            try {
                RefreshRun.Summary s = run.run(() -> Duration.ofMillis(context.getRemainingTimeInMillis()),
                        Duration.ofSeconds(SAFETY_SECONDS));
                LOG.info("refresh run considered={} refreshed={} failed={} busy={} notDue={} tooSoon={} stoppedEarly={}",
                        s.considered(), s.refreshed(), s.failed(), s.busy(), s.notDue(), s.tooSoon(), s.stoppedEarly());
                return Map.of("considered", s.considered(), "refreshed", s.refreshed(), "failed", s.failed(),
                        "busy", s.busy(), "notDue", s.notDue(), "tooSoon", s.tooSoon(), "stoppedEarly", s.stoppedEarly());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("refresh run interrupted", e);
            }
        });
    }
}
