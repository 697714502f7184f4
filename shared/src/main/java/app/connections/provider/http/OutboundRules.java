package app.connections.provider.http;

import app.connections.provider.OutboundCheck;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Optional;

/**
 * {@link OutboundCheck} with the rules of {@link JdkProviderHttp}: https, or http to loopback only
 * when the local stack allows loopback; no user info; every address of the host public
 * ({@link OutboundAddresses}). A check made ahead of use: the client still resolves, checks and
 * pins the address on every call, so a name that moves later is refused then.
 */
public final class OutboundRules implements OutboundCheck {
    private final boolean allowLoopback;
    private final HostResolver resolver;

    public OutboundRules(boolean allowLoopback, HostResolver resolver) {
        this.allowLoopback = allowLoopback;
        this.resolver = resolver;
    }

    @Override
    public Optional<String> refusal(URI uri) {
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        String host = uri.getHost();
        if (!uri.isAbsolute() || host == null || uri.getUserInfo() != null) {
            return Optional.of("is not an absolute URL with a usable host");
        }
        if (!scheme.equals("https") && !scheme.equals("http")) {
            return Optional.of("is not an https URL");
        }
        InetAddress[] addresses;
        try {
            // a literal is parsed, not looked up
            addresses = host.startsWith("[") || host.matches("^[0-9.]+$") ? InetAddress.getAllByName(host) : resolver.resolve(host);
        } catch (UnknownHostException e) {
            return Optional.of("has a host that does not resolve");
        }
        if (addresses == null || addresses.length == 0) {
            return Optional.of("has a host that does not resolve");
        }
        boolean allLoopback = true;
        for (InetAddress address : addresses) {
            boolean loopback = OutboundAddresses.isLoopback(address);
            allLoopback &= loopback;
            if (!(loopback && allowLoopback) && OutboundAddresses.isRefused(address)) {
                return Optional.of("resolves to an internal address (not a public one)");
            }
        }
        if (scheme.equals("http") && !(allowLoopback && allLoopback)) {
            return Optional.of("is not an https URL");
        }
        return Optional.empty();
    }
}
