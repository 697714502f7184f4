package app.connections.platform;

import java.util.Optional;

/**
 * The one error family of the service. Each subtype is one outcome a caller can act on; {@code
 * ErrorMapper} turns them into HTTP in one place. Messages are written for the caller and never
 * hold secret material.
 */
public abstract sealed class DomainException extends RuntimeException
        permits InvalidField, NotSignedIn, NotPermitted, NotVisible,
        InvalidState, CredentialRejected, ProviderUnreachable, PayloadTooLarge {

    private final String code;
    private final String field;

    protected DomainException(String code, String field, String message, Throwable cause) {
        super(message, cause, false, cause != null);
        this.code = code;
        this.field = field;
    }

    /** A stable machine-readable code, e.g. {@code invalid_field}. */
    public String code() {
        return code;
    }

    /** The request field at fault, when there is one. */
    public Optional<String> field() {
        return Optional.ofNullable(field);
    }
}
