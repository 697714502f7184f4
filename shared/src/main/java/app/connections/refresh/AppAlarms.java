package app.connections.refresh;

import java.time.Instant;

/**
 * Port: app-level alarms (our OAuth app's credentials were refused), published once per app per
 * hour however many connections hit it.
 */
public interface AppAlarms {
    void oauthClientRejected(String app, Instant now);
}
