package app.connections.events;

/** Events could not be handed to the bus (the outbox delivery retries them). */
public final class EventPublishException extends RuntimeException {
    public EventPublishException(String message, Throwable cause) {
        super(message, cause);
    }
}
