package app.connections.local.devserver;

import app.connections.local.aws.StackDescription;
import app.connections.local.aws.StreamDelivery;
import app.connections.local.aws.Template;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The template's {@code DynamoDB} (stream) events in the dev server, as Lambda's event source
 * mapping runs them: every {@value #PERIOD_MILLIS} ms each mapping's {@link StreamDelivery} reads the
 * table's stream in moto (bounded reads per poll), applies the template's {@code FilterCriteria} and
 * {@code BatchSize}, and invokes the hosted function (OutboxFunction) with the records; a record it
 * reports as not processed is retried at the next poll. One log line per poll that delivered or
 * failed; the polls stop with the server.
 */
final class StreamPolling implements AutoCloseable {
    static final long PERIOD_MILLIS = 500;
    private final List<StreamDelivery> deliveries = new ArrayList<>();
    private final Consumer<String> log;
    private final ScheduledExecutorService scheduler = new ScheduledThreadPoolExecutor(1, r -> {
        Thread t = new Thread(r, "local-streams");
        t.setDaemon(true);
        return t;
    });

    StreamPolling(Template template, StackDescription stack, Map<String, LocalFunction> functionsByLogicalId, Consumer<String> log) {
        this.log = log;
        for (Template.StreamEvent e : template.streamEvents()) {
            LocalFunction function = functionsByLogicalId.get(e.functionLogicalId());
            deliveries.add(StreamDelivery.of(stack, template, e.functionLogicalId()).target(function::invoke, log));
            log.accept("[stream] " + e.functionLogicalId() + " " + e.eventName() + " reads the table's stream (batches of "
                    + e.batchSize() + ", " + e.filterPatterns().size() + " filter(s) from template.yaml)");
        }
    }

    void start() {
        scheduler.scheduleWithFixedDelay(this::pollOnce, PERIOD_MILLIS, PERIOD_MILLIS, TimeUnit.MILLISECONDS);
    }

    /** One poll of every mapping; returns how many records were delivered. */
    int pollOnce() {
        int total = 0;
        for (StreamDelivery d : deliveries) {
            long started = System.nanoTime();
            try {
                int n = d.pump();
                total += n;
                if (n > 0) {
                    log.accept("[stream] " + d.event().functionLogicalId() + " delivered " + n + " record(s) ("
                            + (System.nanoTime() - started) / 1_000_000 + " ms)");
                }
            } catch (RuntimeException e) {
                log.accept("[stream] " + d.event().functionLogicalId() + " poll failed: " + e);
            }
        }
        return total;
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
        deliveries.forEach(d -> d.target(null, line -> { })); // this server's functions are gone
    }
}
