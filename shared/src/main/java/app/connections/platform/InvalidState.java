package app.connections.platform;

/** The request conflicts with the current state (409), e.g. a concurrent update. */
public final class InvalidState extends DomainException {
    public InvalidState(String code, String message) {
        super(code, null, message, null);
    }

    public InvalidState(String code, String message, Throwable cause) {
        super(code, null, message, cause);
    }
}
