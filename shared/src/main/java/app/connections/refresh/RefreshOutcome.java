package app.connections.refresh;

import app.connections.connection.Connection;

/** What one refresh attempt came to. */
public sealed interface RefreshOutcome {
    /** New tokens stored. */
    record Refreshed(Connection connection) implements RefreshOutcome {
    }

    /** Nothing to do: not due (perhaps another worker just refreshed), or not refreshable by us. */
    record NotDue(Connection connection) implements RefreshOutcome {
    }

    /** Another worker holds the lease right now. */
    record Busy() implements RefreshOutcome {
    }

    /** The refresh failed; {@code connection} is as stored after the failure (ACTIVE with a backoff, or ERROR). */
    record Failed(Connection connection, String reason) implements RefreshOutcome {
    }

    /** No such connection (or no longer an OAuth connection that can refresh). */
    record Gone() implements RefreshOutcome {
    }
}
