package app.connections.api;

import app.connections.platform.BadRequestException;
import app.connections.platform.ConflictException;
import app.connections.platform.CredentialRejectedException;
import app.connections.platform.ForbiddenException;
import app.connections.platform.NotFoundException;
import app.connections.platform.PayloadTooLargeException;
import app.connections.platform.ProviderUnreachableException;
import app.connections.platform.ServiceException;
import app.connections.platform.UnauthorizedException;

/**
 * The one place errors become HTTP. Service exceptions map to their status with their own
 * (secret-free) message; anything else is a 500 whose body says nothing about the cause.
 */
public final class ErrorMapper {
    private ErrorMapper() {
    }

    public static HttpResponse toResponse(Throwable error) {
        if (error instanceof ServiceException e) {
            return HttpResponse.json(status(e), new ErrorBody(e.code(), e.getMessage(), e.field().orElse(null)));
        }
        return HttpResponse.json(500, new ErrorBody("internal_error", "something went wrong on our side", null));
    }

    public static int status(ServiceException e) {
        return switch (e) {
            case BadRequestException ignored -> 400;
            case UnauthorizedException ignored -> 401;
            case ForbiddenException ignored -> 403;
            case NotFoundException ignored -> 404;
            case ConflictException ignored -> 409;
            case PayloadTooLargeException ignored -> 413;
            case CredentialRejectedException ignored -> 422;
            case ProviderUnreachableException ignored -> 502;
        };
    }
}
