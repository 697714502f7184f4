package app.connections.resolve;

import app.connections.ids.WorkspaceId;
import app.connections.ids.ConnectionId;
import app.connections.ids.AccountId;
import app.connections.platform.InvalidField;
import app.connections.grant.Money;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What the workflow runtime asks when a step needs a credential. {@code accountId} is required
 * besides the workspace: workspace ids are unique only within an account.
 *
 * @param credentialRejected the runtime's provider call answered HTTP 401 with the credential of an
 *        earlier resolve: refresh before answering, whatever the token's expiry says (at most once,
 *        within the per-connection rate guard)
 */
public record ResolveRequest(String connectionId, String accountId, String workspaceId, String runId, String stepId,
                             Optional<Long> estimatedCostMicros, boolean credentialRejected) {
    public ResolveRequest(String connectionId, String accountId, String workspaceId, String runId, String stepId,
                          Optional<Long> estimatedCostMicros) {
        this(connectionId, accountId, workspaceId, runId, stepId, estimatedCostMicros, false);
    }

    /** The runtime's own run and step ids (ours follow their own rules: {@link ConnectionId}, {@link AccountId}, {@link WorkspaceId}). */
    private static final Pattern RUN_ID = Pattern.compile("^[A-Za-z0-9_.:-]{1,128}$");

    /** The request, or empty when a member is missing or malformed (the runtime gets {@code denied/bad_request}). */
    public static Optional<ResolveRequest> parse(Map<String, Object> input) {
        String[] names = {"connectionId", "accountId", "workspaceId", "runId", "stepId"};
        String[] values = new String[names.length];
        for (int i = 0; i < names.length; i++) {
            Object v = input == null ? null : input.get(names[i]);
            boolean valid = v instanceof String s && switch (names[i]) {
                case "connectionId" -> ConnectionId.parse(s).isPresent();
                case "accountId" -> AccountId.parse(s).isPresent();
                case "workspaceId" -> WorkspaceId.parse(s).isPresent();
                default -> RUN_ID.matcher(s).matches();
            };
            if (!valid) {
                return Optional.empty();
            }
            values[i] = (String) v;
        }
        Optional<Long> estimate = Optional.empty();
        if (input.get("estimatedCostUsd") != null) {
            try {
                estimate = Optional.of(Money.micros(input.get("estimatedCostUsd"), "estimatedCostUsd"));
            } catch (InvalidField e) {
                return Optional.empty();
            }
        }
        Object rejected = input.get("credentialRejected");
        if (rejected != null && !(rejected instanceof Boolean)) {
            return Optional.empty();
        }
        return Optional.of(new ResolveRequest(values[0], values[1], values[2], values[3], values[4], estimate,
                Boolean.TRUE.equals(rejected)));
    }
}
