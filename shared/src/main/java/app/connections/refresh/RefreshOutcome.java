package app.connections.refresh;

import app.connections.connection.Connection;
import java.time.Instant;

/** What one refresh attempt came to. */
public sealed interface RefreshOutcome {
    /** New tokens stored (by this refresh, or by the peer that held the lease while we waited). */
    record Refreshed(Connection connection) implements RefreshOutcome {
    }

    /** Nothing to do: not due (perhaps another worker just refreshed), or not refreshable by us. */
    record NotDue(Connection connection) implements RefreshOutcome {
    }

    /**
     * Refused by the per-connection rate guard: its token was issued less than the minimum interval
     * ago, so no refresh is made however it was asked for ({@code notBefore}: the earliest next one).
     */
    record TooSoon(Connection connection, Instant notBefore) implements RefreshOutcome {
    }

    /** Another worker holds the lease right now (and did not finish within the wait, if any). */
    record Busy() implements RefreshOutcome {
    }

    /** The refresh failed; {@code connection} is as stored after the failure (ACTIVE with a backoff, or ERROR). */
    record Failed(Connection connection, String reason) implements RefreshOutcome {
    }

    /** No such connection (or no longer an OAuth connection that can refresh). */
    record Gone() implements RefreshOutcome {
    }
}
