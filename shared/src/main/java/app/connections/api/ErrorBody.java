package app.connections.api;

/** The one error body of the API: {@code {"error": "<code>", "message": "…", "field": "…"}}. */
public record ErrorBody(String error, String message, String field) {
}
