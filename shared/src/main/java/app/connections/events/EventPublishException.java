package app.connections.events;

/** An event could not be published. */
public final class EventPublishException extends RuntimeException {
    public EventPublishException(String message, Throwable cause) {
        super(message, cause);
    }
}
