package app.connections.resolve;

import java.util.LinkedHashMap;
import java.util.Map;

/** The runtime's answer: a credential, wait (the run parks), or no. */
public sealed interface ResolveResult {
    Map<String, Object> toMap();

    /** The credential, shaped by kind. The only place a secret leaves the service. */
    record Ok(Map<String, Object> credential, java.util.Optional<String> reservationId) implements ResolveResult {
        @Override
        public Map<String, Object> toMap() {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("status", "ok");
            out.put("credential", credential);
            reservationId.ifPresent(id -> out.put("reservationId", id));
            return out;
        }

        @Override
        public String toString() {
            return "Ok[credential redacted]";
        }
    }

    /** Not now: e.g. {@code reauthorization_required} (the run is parked and resumed on reconnect). */
    record Waiting(String reason) implements ResolveResult {
        @Override
        public Map<String, Object> toMap() {
            return Map.of("status", "waiting", "reason", reason);
        }
    }

    /** Never, as things are: {@code revoked}, {@code not_visible}, {@code spend_cap_reached},
     * {@code estimate_exceeds_cap}, {@code credential_unreadable}, {@code bad_request}. */
    record Denied(String reason) implements ResolveResult {
        @Override
        public Map<String, Object> toMap() {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("status", "denied");
            out.put("reason", reason);
            return out;
        }
    }
}
