package app.connections.grant;

import app.connections.platform.InvalidField;
import java.util.Map;
import java.util.Optional;

/** The runtime's settle call: the actual cost of the call a reservation was made for. */
public record SettleRequest(String reservationId, long actualMicros) {
    /** Empty when the reservation id is missing or the amount is negative, non-finite or not a number. */
    public static Optional<SettleRequest> parse(Map<String, Object> input) {
        if (!(input.get("reservationId") instanceof String id) || id.isBlank() || id.length() > 512) {
            return Optional.empty();
        }
        try {
            return Optional.of(new SettleRequest(id, Money.micros(input.get("actualCostUsd"), "actualCostUsd")));
        } catch (InvalidField e) {
            return Optional.empty();
        }
    }
}
