package app.connections.api;

import app.connections.platform.InvalidField;
import app.connections.platform.InvalidState;
import app.connections.platform.CredentialRejected;
import app.connections.platform.NotPermitted;
import app.connections.platform.NotVisible;
import app.connections.platform.PayloadTooLarge;
import app.connections.platform.ProviderUnreachable;
import app.connections.platform.StaleVersion;
import app.connections.platform.DomainException;
import app.connections.platform.NotSignedIn;

/**
 * The one place errors become HTTP: each domain error (in domain words, e.g. {@link NotVisible},
 * {@link InvalidField}) maps to its status here and nowhere else. Service exceptions map to their status with their own
 * (secret-free) message; anything else is a 500 whose body says nothing about the cause.
 */
public final class ErrorMapper {
    private ErrorMapper() {
    }

    public static HttpResponse toResponse(Throwable error) {
        if (error instanceof DomainException e) {
            return HttpResponse.json(status(e), new ErrorBody(e.code(), e.getMessage(), e.field().orElse(null)));
        }
        if (error instanceof StaleVersion) {
            // every retry met another write: the caller's request was fine, the record kept changing
            return HttpResponse.json(409, new ErrorBody("concurrent_update", "the connection kept changing; read it again and retry",
                    null));
        }
        return HttpResponse.json(500, new ErrorBody("internal_error", "something went wrong on our side", null));
    }

    public static int status(DomainException e) {
        return switch (e) {
            case InvalidField ignored -> 400;
            case NotSignedIn ignored -> 401;
            case NotPermitted ignored -> 403;
            case NotVisible ignored -> 404;
            case InvalidState ignored -> 409;
            case PayloadTooLarge ignored -> 413;
            case CredentialRejected ignored -> 422;
            case ProviderUnreachable ignored -> 502;
        };
    }
}
