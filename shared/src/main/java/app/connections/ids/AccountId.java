package app.connections.ids;

import app.connections.platform.InvalidField;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The id of an account: 1 to 64 letters, digits, {@code _} or {@code -}. The one rule for this id, wherever
 * it arrives (a route, a token claim, the runtime's request) or is stored.
 */
public record AccountId(String value) {
    private static final Pattern RULE = Pattern.compile("^[A-Za-z0-9_-]{1,64}$");

    public AccountId {
        require("accountId", value);
    }

    /** The id, or empty when {@code value} cannot be one (looked up as "not found", never as an error). */
    public static Optional<AccountId> parse(String value) {
        return value != null && RULE.matcher(value).matches() ? Optional.of(new AccountId(value)) : Optional.empty();
    }

    /** {@code value} checked against the rule: an {@link InvalidField} naming {@code field} otherwise. */
    public static String require(String field, String value) {
        if (value == null || !RULE.matcher(value).matches()) {
            throw new InvalidField(field, field + " must be 1 to 64 letters, digits, _ or -");
        }
        return value;
    }

    @Override
    public String toString() {
        return value;
    }
}
