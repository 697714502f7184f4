package app.connections.provider;

import java.net.URI;
import java.util.Map;
import java.util.Objects;

/**
 * A request to a third-party app's endpoint. Header values and the body may hold credentials: never
 * log them. The caller says whether a redirect may be followed ({@link Redirects}); the
 * {@link ProviderHttp} enforces it.
 */
public record ProviderRequest(String method, URI uri, Map<String, String> headers, String body, Redirects redirects) {
    public ProviderRequest {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(uri, "uri");
        headers = Map.copyOf(headers);
        Objects.requireNonNull(redirects, "redirects");
    }

    /** What happens when the provider answers with a redirect. */
    public enum Redirects {
        /**
         * The redirect is the answer (the caller sees the 3xx). For requests whose body or headers
         * carry a client secret, a code or a token to be revoked: the token and revocation endpoints.
         */
        NEVER,
        /**
         * Up to a few hops are followed, each checked like the first request (https, public address,
         * pinned), and none gets the credentials: a hop is a GET (HEAD stays HEAD) with no body and
         * only the {@code Accept}, {@code Accept-Language} and {@code User-Agent} headers. A 307/308
         * that would have to resend a body is not followed.
         */
        FOLLOW_WITHOUT_CREDENTIALS
    }

    @Override
    public String toString() {
        return "ProviderRequest[" + method + " " + uri.getScheme() + "://" + uri.getHost() + uri.getPath() + "]";
    }
}
