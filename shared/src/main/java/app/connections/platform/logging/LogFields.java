package app.connections.platform.logging;

import java.util.Map;
import org.slf4j.MDC;

/**
 * The names of the structured fields a log line may carry, each written as its own JSON key (SLF4J
 * key-value pairs, {@code LOG.atInfo().addKeyValue(LogFields.ROUTE, …)}), never folded into the
 * message. None of them ever holds a secret: ids, names, statuses and outcomes only.
 */
public final class LogFields {
    public static final String ROUTE = "route";
    public static final String STATUS = "status";
    public static final String ERROR = "errorCode";
    public static final String CONNECTION_ID = "connectionId";
    public static final String APP = "app";
    public static final String ACCOUNT_ID = "accountId";
    public static final String WORKSPACE_ID = "workspaceId";
    public static final String RUN_ID = "runId";
    public static final String STEP_ID = "stepId";
    public static final String REASON = "reason";
    public static final String OUTCOME = "outcome";
    /** The invocation's correlation id: the API request id, the runtime's run id, or the schedule's event id. */
    public static final String CORRELATION_ID = "correlation_id";

    private LogFields() {
    }

    /**
     * {@code task} with the calling thread's invocation fields (function, request and correlation
     * id) on its log lines, for work handed to another thread (the refresher's virtual threads).
     */
    public static Runnable carried(Runnable task) {
        Map<String, String> fields = MDC.getCopyOfContextMap();
        return () -> {
            Map<String, String> before = MDC.getCopyOfContextMap();
            if (fields != null) {
                MDC.setContextMap(fields);
            }
            try {
                task.run();
            } finally {
                if (before == null) {
                    MDC.clear();
                } else {
                    MDC.setContextMap(before);
                }
            }
        };
    }
}
