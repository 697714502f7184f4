package app.connections.connection.lifecycle;

/** A workflow step waiting for a connection to be reauthorized. */
public record ParkedRun(String runId, String stepId) {
}
