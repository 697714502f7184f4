package app.connections.workspace;

import app.connections.platform.InvalidField;
import java.util.regex.Pattern;

/** A space inside an agency account, typically one per client. */
public record Workspace(String id, String accountId, String name) {
    static final Pattern ID = Pattern.compile("^[A-Za-z0-9_-]{1,64}$");
    static final int MAX_NAME_LENGTH = 100;

    public Workspace {
        id = requireId("workspaceId", id);
        accountId = requireId("accountId", accountId);
        if (name == null || name.isBlank()) {
            throw new InvalidField("name", "name is required");
        }
        if (name.codePointCount(0, name.length()) > MAX_NAME_LENGTH) {
            throw new InvalidField("name", "name must be at most " + MAX_NAME_LENGTH + " characters");
        }
        if (name.codePoints().anyMatch(Character::isISOControl)) {
            throw new InvalidField("name", "name must not contain control characters");
        }
        name = name.strip();
    }

    /** Validates an id taken from a path or body, naming the field when it is malformed. */
    public static String requireId(String field, String value) {
        if (value == null || !ID.matcher(value).matches()) {
            throw new InvalidField(field, field + " must be 1 to 64 letters, digits, '-' or '_'");
        }
        return value;
    }
}
