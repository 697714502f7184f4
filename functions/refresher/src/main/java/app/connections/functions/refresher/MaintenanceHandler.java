package app.connections.functions.refresher;

import app.connections.api.lambda.LambdaLogContext;
import app.connections.maintenance.VaultMaintenance;
import app.connections.vault.aws.VaultByMode;
import app.connections.wiring.Services;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The vault's maintenance tasks, invoked by an operator (README, "Vault modes"):
 * {@code {"task": "move", "to": "DynamoDB"}} moves every credential to another store,
 * {@code {"task": "reseal"}} seals every credential again under the key the alias names now. A run
 * stops before the function's time runs out and answers {@code nextToken}; invoke again with it (or
 * from the start: finished connections are skipped) until {@code done}.
 */
public final class MaintenanceHandler implements RequestHandler<Map<String, Object>, Map<String, Object>> {
    static final Duration SAFETY = Duration.ofSeconds(30);
    private final VaultMaintenance maintenance;

    public MaintenanceHandler() {
        this(Services.fromEnvironment().vaultMaintenance());
    }

    MaintenanceHandler(VaultMaintenance maintenance) {
        this.maintenance = maintenance;
    }

    @Override
    public Map<String, Object> handleRequest(Map<String, Object> input, Context context) {
        return LambdaLogContext.with(context, () -> {
            Object task = input == null ? null : input.get("task");
            Optional<String> from = Optional.ofNullable(input == null ? null : input.get("nextToken")).map(String::valueOf);
            try {
                VaultMaintenance.Progress p;
                if ("move".equals(task) && input.get("to") instanceof String to) {
                    p = maintenance.moveTo(VaultByMode.parse(to), from, () -> Duration.ofMillis(context.getRemainingTimeInMillis()),
                            SAFETY);
                } else if ("reseal".equals(task)) {
                    p = maintenance.reseal(from, () -> Duration.ofMillis(context.getRemainingTimeInMillis()), SAFETY);
                } else {
                    return Map.of("error", "bad_request", "message",
                            "give {\"task\": \"move\", \"to\": \"DynamoDB\"|\"SecretsManager\"} or {\"task\": \"reseal\"}");
                }
                Map<String, Object> out = new LinkedHashMap<>();
                out.put("task", p.task());
                out.put("considered", p.considered());
                out.put("changed", p.changed());
                out.put("alreadyDone", p.alreadyDone());
                out.put("busy", p.busy());
                out.put("failed", p.failed());
                out.put("done", p.done());
                p.nextToken().ifPresent(t -> out.put("nextToken", t));
                return out;
            } catch (IllegalStateException e) {
                return Map.of("error", "bad_request", "message", e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("maintenance interrupted", e);
            }
        });
    }
}
