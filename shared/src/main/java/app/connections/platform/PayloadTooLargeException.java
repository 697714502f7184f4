package app.connections.platform;

/** The request body is larger than the service accepts (413). */
public final class PayloadTooLargeException extends ServiceException {
    public PayloadTooLargeException(int limitBytes) {
        super("payload_too_large", "body", "request body must be at most " + limitBytes + " bytes", null);
    }
}
