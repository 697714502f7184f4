package app.connections.platform;

/** The request is malformed or a field is invalid (400). Names the field. */
public final class BadRequestException extends ServiceException {
    public BadRequestException(String field, String message) {
        super(field == null ? "bad_request" : "invalid_field", field, message, null);
    }

    public BadRequestException(String code, String field, String message) {
        super(code, field, message, null);
    }
}
