package app.connections.resolve;

import java.time.Instant;

/** Port: who resolved which connection for which run, when, and what they got — never the value. */
public interface AuditLog {
    void resolved(ResolveRequest request, String outcome, Instant at);
}
