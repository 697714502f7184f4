package app.connections.ids;

import java.util.Optional;

/** The id of a workspace ({@link Ids}: the one rule, wherever the id arrives or is stored). */
public record WorkspaceId(String value) {
    public WorkspaceId {
        Ids.require("workspaceId", value);
    }

    /** The id, or empty when {@code value} cannot be one (looked up as "not found", never as an error). */
    public static Optional<WorkspaceId> parse(String value) {
        return Ids.valid(value) ? Optional.of(new WorkspaceId(value)) : Optional.empty();
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
