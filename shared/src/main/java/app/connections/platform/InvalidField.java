package app.connections.platform;

/** The request is malformed or a field is invalid (400). Names the field. */
public final class InvalidField extends DomainException {
    public InvalidField(String field, String message) {
        super(field == null ? "bad_request" : "invalid_field", field, message, null);
    }

    public InvalidField(String code, String field, String message) {
        super(code, field, message, null);
    }
}
