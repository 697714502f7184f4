package app.connections.platform;

/** The request body is larger than the service accepts (413). */
public final class PayloadTooLarge extends DomainException {
    public PayloadTooLarge(int limitBytes) {
        super("payload_too_large", "body", "request body must be at most " + limitBytes + " bytes", null);
    }
}
