package app.connections.ids;

import app.connections.platform.InvalidField;
import java.util.regex.Pattern;

/** The rule our ids follow: 1 to 64 letters, digits, {@code _} or {@code -}. */
final class Ids {
    private static final Pattern RULE = Pattern.compile("^[A-Za-z0-9_-]{1,64}$");

    private Ids() {
    }

    static boolean valid(String value) {
        return value != null && RULE.matcher(value).matches();
    }

    /** {@code value}, or an {@link InvalidField} naming {@code field}. */
    static String require(String field, String value) {
        if (!valid(value)) {
            throw new InvalidField(field, field + " must be 1 to 64 letters, digits, _ or -");
        }
        return value;
    }
}
