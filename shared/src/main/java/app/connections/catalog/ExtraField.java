package app.connections.catalog;

import app.connections.platform.InvalidField;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A field the connect form asks for besides the credential (subdomain, shop, tenant, region…).
 * Validated server-side with an anchored pattern; values only ever fill fixed URL templates.
 */
public record ExtraField(String name, String label, String pattern, boolean required, String example, String help) {
    private static final Pattern NAME = Pattern.compile("^[a-z][A-Za-z0-9]{0,31}$");
    private static final int MAX_VALUE_LENGTH = 253;

    public ExtraField {
        Objects.requireNonNull(name, "name");
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("field name " + name + " is not a simple identifier");
        }
        Objects.requireNonNull(label, "label of field " + name);
        Objects.requireNonNull(pattern, "pattern of field " + name);
        if (!pattern.startsWith("^") || !pattern.endsWith("$")) {
            throw new IllegalArgumentException("pattern of field " + name + " must be anchored with ^ and $");
        }
        Pattern compiled = Pattern.compile(pattern);
        if (example != null && !compiled.matcher(example).matches()) {
            throw new IllegalArgumentException("example of field " + name + " does not match its pattern");
        }
    }

    /** The validated value (stripped), or a 400 naming {@code fields.<name>}. */
    public String validate(String value) {
        String field = "fields." + name;
        if (value == null || value.isBlank()) {
            throw new InvalidField(field, label + " is required");
        }
        String v = value.strip();
        if (v.length() > MAX_VALUE_LENGTH || !Pattern.compile(pattern).matcher(v).matches()) {
            throw new InvalidField(field, label + " is not valid" + (example == null ? "" : " (for example: " + example + ")"));
        }
        return v;
    }
}
