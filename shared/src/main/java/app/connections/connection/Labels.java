package app.connections.connection;

import app.connections.platform.InvalidField;

/** The rules a connection label follows: what a person sees in the picker. */
public final class Labels {
    private Labels() {
    }

    /** Validates a label, naming the field "label" in the error. */
    public static String require(String label) {
        if (label == null || label.isBlank()) {
            throw new InvalidField("label", "label is required");
        }
        if (label.codePointCount(0, label.length()) > Connection.MAX_LABEL_LENGTH) {
            throw new InvalidField("label", "label must be at most " + Connection.MAX_LABEL_LENGTH + " characters");
        }
        if (label.codePoints().anyMatch(cp -> Character.getType(cp) == Character.CONTROL
                || Character.getType(cp) == Character.FORMAT)) {
            throw new InvalidField("label", "label must not contain control characters");
        }
        return label.strip();
    }

    /** A sort key that orders labels the way a person expects (case-insensitive). */
    public static String sortKey(String label) {
        return label.strip().toLowerCase(java.util.Locale.ROOT);
    }
}
