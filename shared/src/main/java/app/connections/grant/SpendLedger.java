package app.connections.grant;

import java.time.Instant;

/**
 * Port: month-to-date spend per grant, reserved before a call and settled after, so concurrent
 * runs can never spend past the cap. Months are UTC calendar months ({@code yyyy-MM}).
 */
public interface SpendLedger {
    /**
     * Reserves {@code micros} against the month, atomically, unless that would pass {@code cap}
     * (no cap: always reserved). Only a failed cap condition is {@link Reservation.CapReached}: a
     * write that merely raced another is retried here (a bounded number of times), and when it still
     * cannot be written the call fails ({@link ReservationContended}) rather than claim the cap.
     */
    Reservation reserve(String connectionId, String workspaceId, String month, long micros, Long capMicros,
                        Instant expiresAt);

    /** Replaces a reservation with the actual cost; settling again changes nothing. */
    Settlement settle(String reservationId, long actualMicros, Instant now);

    /**
     * Gives a reservation back unspent (the call it was made for did not happen): it no longer
     * counts against the cap. False when it was settled or released already, or is unknown.
     */
    boolean release(String reservationId);

    /** Releases the month's reservations that expired unsettled (every one of them, page by page); returns how many. */
    int releaseExpired(String connectionId, String workspaceId, String month, Instant now);

    MonthSpend spend(String connectionId, String workspaceId, String month);

    /**
     * Records that the month's cap was reached, committing {@code event} with that record (the
     * outbox); true only the first time (one event per grant and month).
     */
    boolean firstTimeCapReached(String connectionId, String workspaceId, String month,
                                app.connections.events.ConnectionEvent event);

    sealed interface Reservation {
        record Reserved(String reservationId) implements Reservation {
        }

        record CapReached() implements Reservation {
        }
    }

    /** Concurrent writes kept a reservation from being written within its retries: not a cap decision. */
    final class ReservationContended extends RuntimeException {
        public ReservationContended(String message) {
            super(message);
        }
    }

    enum Settlement { SETTLED, ALREADY_SETTLED, UNKNOWN }

    /** @param spentMicros settled spend; @param committedMicros settled plus open reservations */
    record MonthSpend(long spentMicros, long committedMicros) {
    }
}
