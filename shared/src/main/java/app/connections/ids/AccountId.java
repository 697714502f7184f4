package app.connections.ids;

import java.util.Optional;

/** The id of an account ({@link Ids}: the one rule, wherever the id arrives or is stored). */
public record AccountId(String value) {
    public AccountId {
        Ids.require("accountId", value);
    }

    /** The id, or empty when {@code value} cannot be one (looked up as "not found", never as an error). */
    public static Optional<AccountId> parse(String value) {
        return Ids.valid(value) ? Optional.of(new AccountId(value)) : Optional.empty();
    }

    /** {@code value} checked against the rule; an error naming {@code field} otherwise. */
    public static String require(String field, String value) {
        return Ids.require(field, value);
    }

    @Override
    public String toString() {
        return value;
    }
}
