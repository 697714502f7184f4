package app.connections.provider;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A request to a third-party app's endpoint. Header values and the body may hold credentials: never
 * log them. The caller says whether a redirect may be followed ({@link Redirects}); the
 * {@link ProviderHttp} enforces it.
 *
 * <p>The whole exchange (connect, headers, body, every redirect hop) has one deadline: the smallest of
 * the configured provider timeout, this request's {@code timeout} when the caller sets one, and the
 * invocation's remaining time less a margin ({@link app.connections.platform.InvocationDeadline}).
 */
public record ProviderRequest(String method, URI uri, Map<String, String> headers, String body, Redirects redirects,
                              Optional<Duration> timeout) {
    public ProviderRequest {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(uri, "uri");
        headers = Map.copyOf(headers);
        Objects.requireNonNull(redirects, "redirects");
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isPresent() && (timeout.get().isNegative() || timeout.get().isZero())) {
            throw new IllegalArgumentException("a provider call's timeout must be positive");
        }
    }

    /** A request with no timeout of its own (the configured one and the invocation's deadline apply). */
    public ProviderRequest(String method, URI uri, Map<String, String> headers, String body, Redirects redirects) {
        this(method, uri, headers, body, redirects, Optional.empty());
    }

    /** This request, to be over (answer read) within {@code timeout} at most. */
    public ProviderRequest within(Duration timeout) {
        return new ProviderRequest(method, uri, headers, body, redirects, Optional.of(timeout));
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
