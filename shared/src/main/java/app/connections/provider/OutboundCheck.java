package app.connections.provider;

import java.net.URI;
import java.util.Optional;

/**
 * Port: whether a URL the service did not write itself (an issuer's metadata names it) is one
 * {@link ProviderHttp} would call: https (plain http only to loopback where the local stack allows
 * it), no user info, a host that resolves to public addresses only. The same rules the outbound
 * client applies on every call, asked ahead so a bad URL is refused with a clear reason at once.
 */
@FunctionalInterface
public interface OutboundCheck {
    /** Why a call to {@code uri} would be refused, or empty when it would be made. */
    Optional<String> refusal(URI uri);
}
