package app.connections.workspace;

import app.connections.ids.AccountId;
import app.connections.ids.WorkspaceId;
import app.connections.platform.InvalidField;
import java.util.regex.Pattern;

/** A space inside an agency account, typically one per client. */
public record Workspace(String id, String accountId, String name) {
    static final int MAX_NAME_LENGTH = 100;

    public Workspace {
        id = WorkspaceId.require("workspaceId", id);
        accountId = AccountId.require("accountId", accountId);
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
}
