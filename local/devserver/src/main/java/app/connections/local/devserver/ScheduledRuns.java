package app.connections.local.devserver;

import app.connections.local.aws.StackBootstrap;
import app.connections.local.aws.StackDescription;
import app.connections.local.aws.Template;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The template's {@code Schedule} events in the dev server, since moto's EventBridge never fires a
 * scheduled rule: each enabled {@code rate(…)} event invokes its function on that period from a
 * daemon scheduler, with the event EventBridge would send; {@code POST /local/run/<function>} runs
 * one at once. One log line per run, with the function's result.
 */
final class ScheduledRuns implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A Schedule event of a function, and its period (empty for {@code cron(…)}: not run on a timer here). */
    record Plan(LocalFunction function, Template.ScheduleEvent event) {
        Optional<Duration> period() {
            return event.enabled() ? event.rate() : Optional.empty();
        }
    }

    private final List<Plan> plans = new ArrayList<>();
    private final StackDescription stack;
    private final Consumer<String> log;
    private ScheduledExecutorService scheduler;

    ScheduledRuns(Collection<LocalFunction> functions, StackDescription stack, Consumer<String> log) {
        this.stack = stack;
        this.log = log;
        functions.stream().distinct().forEach(f -> f.definition().scheduleEvents().forEach(e -> plans.add(new Plan(f, e))));
    }

    List<Plan> plans() {
        return List.copyOf(plans);
    }

    /** The first Schedule event of the function with this logical id or name. */
    Optional<Plan> plan(String function) {
        return plans.stream().filter(p -> p.function().definition().logicalId().equals(function)
                || p.function().name().equals(function)).findFirst();
    }

    /** Starts the timers on a daemon thread (first run one period from now, as a new rule's). */
    synchronized void start() {
        start(new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "local-schedules");
            t.setDaemon(true);
            return t;
        }));
    }

    synchronized void start(ScheduledExecutorService executor) {
        if (scheduler != null) {
            return;
        }
        scheduler = executor;
        for (Plan plan : plans) {
            String id = plan.function().definition().logicalId();
            Optional<Duration> period = plan.period();
            if (period.isEmpty()) {
                log.accept("[schedule] " + id + " " + plan.event().eventName() + " (" + plan.event().expression()
                        + (plan.event().enabled() ? "" : ", disabled") + ") has no timer here; run it with POST /local/run/" + id);
                continue;
            }
            long millis = period.get().toMillis();
            scheduler.scheduleAtFixedRate(() -> run(plan, "schedule"), millis, millis, TimeUnit.MILLISECONDS);
            log.accept("[schedule] " + id + " runs every " + human(period.get()) + " (" + plan.event().expression()
                    + ", event " + plan.event().eventName() + " in template.yaml); run it now with POST /local/run/" + id);
        }
    }

    /** Invokes the plan's function with a scheduled event; logs one line; returns the function's result. */
    byte[] run(Plan plan, String trigger) {
        String id = plan.function().definition().logicalId();
        long started = System.nanoTime();
        try {
            byte[] result = plan.function().invoke(scheduledEvent(plan));
            log.accept("[" + trigger + "] " + id + " " + new String(result, StandardCharsets.UTF_8).strip()
                    + " (" + millisSince(started) + " ms)");
            return result;
        } catch (IOException | RuntimeException e) {
            log.accept("[" + trigger + "] " + id + " failed: " + e.getClass().getSimpleName() + ": " + e.getMessage()
                    + " (" + millisSince(started) + " ms)");
            if (e instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException(e);
        }
    }

    /** The event an EventBridge schedule rule sends (the shape of events/refresher/scheduled-event.json). */
    private byte[] scheduledEvent(Plan plan) throws IOException {
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("version", "0");
        event.put("id", UUID.randomUUID().toString());
        event.put("detail-type", "Scheduled Event");
        event.put("source", "aws.events");
        event.put("account", StackBootstrap.ACCOUNT_ID);
        event.put("time", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
        event.put("region", stack.region());
        event.put("resources", List.of("arn:aws:events:" + stack.region() + ":" + StackBootstrap.ACCOUNT_ID + ":rule/"
                + stack.stackName() + "-" + plan.function().definition().logicalId() + plan.event().eventName()));
        event.put("detail", Map.of());
        return JSON.writeValueAsBytes(event);
    }

    private static long millisSince(long nanos) {
        return (System.nanoTime() - nanos) / 1_000_000;
    }

    static String human(Duration d) {
        if (d.toDaysPart() > 0 && d.equals(Duration.ofDays(d.toDays()))) {
            return d.toDays() + (d.toDays() == 1 ? " day" : " days");
        }
        if (d.equals(Duration.ofHours(d.toHours()))) {
            return d.toHours() + (d.toHours() == 1 ? " hour" : " hours");
        }
        return d.toMinutes() + (d.toMinutes() == 1 ? " minute" : " minutes");
    }

    @Override
    public synchronized void close() {
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
    }
}
