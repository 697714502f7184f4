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
        Object eventId = scheduledEvent == null ? null : scheduledEvent.get("id"); // the schedule's event: the run's correlation id
        return LambdaLogContext.with(context, eventId == null ? null : String.valueOf(eventId), () -> {
            try {
                RefreshRun.Summary s = run.run(() -> Duration.ofMillis(context.getRemainingTimeInMillis()),
                        Duration.ofSeconds(SAFETY_SECONDS));
                LOG.atInfo().addKeyValue("considered", s.considered()).addKeyValue("refreshed", s.refreshed())
                        .addKeyValue("failed", s.failed()).addKeyValue("busy", s.busy()).addKeyValue("notDue", s.notDue())
                        .addKeyValue("tooSoon", s.tooSoon()).addKeyValue("lookedAhead", s.lookedAhead())
                        .addKeyValue("stoppedEarly", s.stoppedEarly()).log("refresh run");
                return Map.of("considered", s.considered(), "refreshed", s.refreshed(), "failed", s.failed(),
                        "busy", s.busy(), "notDue", s.notDue(), "tooSoon", s.tooSoon(), "lookedAhead", s.lookedAhead(),
                        "stoppedEarly", s.stoppedEarly());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("refresh run interrupted", e);
            }
        });
    }
}
