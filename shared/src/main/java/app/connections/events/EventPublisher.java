package app.connections.events;

/** Port: publishes connection events to the platform. */
public interface EventPublisher {
    void publish(ConnectionEvent event);
}
