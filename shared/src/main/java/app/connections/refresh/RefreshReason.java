package app.connections.refresh;

/** Why a refresh is asked for; each reason has its own test of whether the token is due. */
public enum RefreshReason {
    /** The scheduled refresher: the token is due, or its refresh token needs its keep-alive use. */
    SCHEDULE,
    /** A resolve about to hand the token out: the token is inside its lead (or expired). */
    USE,
    /** The runtime reports the token it was given was rejected (HTTP 401): refresh whatever its expiry says. */
    REJECTED,
    /** The client asked the portal to rotate: refresh now. */
    ROTATION,
    /**
     * Spare capacity at the end of a scheduled run: a token expiring within the look-ahead window
     * ({@link RefreshRun#LOOK_AHEAD}) and at least half its lifetime old is renewed early, so a burst
     * of tokens issued together is spread out before it comes due.
     */
    LOOK_AHEAD;

    /** Whether this reason refreshes even a token whose schedule does not say it is due. */
    boolean forced() {
        return this == REJECTED || this == ROTATION;
    }
}
