package app.connections.provider.http;

import app.connections.provider.ProviderHttp;
import app.connections.provider.ProviderRequest;
import app.connections.provider.ProviderResponse;
import app.connections.provider.ProviderUnavailableException;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * {@link ProviderHttp} on the JDK HTTP client: https only (plain http to loopback only when the
 * local stack allows it explicitly), no redirects followed, connect and read timeouts, answers
 * capped at {@value #MAX_BODY_BYTES} bytes, and no private, loopback, link-local or otherwise
 * internal destination unless it is loopback and allowed.
 */
public final class JdkProviderHttp implements ProviderHttp {
    static final int MAX_BODY_BYTES = 256 * 1024;
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(3);

    private final HttpClient client = HttpClient.newBuilder()
            .connectTimeout(CONNECT_TIMEOUT)
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
    private final boolean allowLoopback;
    private final Duration readTimeout;

    /**
     * @param allowLoopback only the local stack sets this, so tests can stand in for providers
     * @param readTimeout how long to wait for a provider's answer
     */
    public JdkProviderHttp(boolean allowLoopback, Duration readTimeout) {
        this.allowLoopback = allowLoopback;
        this.readTimeout = readTimeout;
    }

    @Override
    public ProviderResponse send(ProviderRequest request) {
        checkDestination(request);
        HttpRequest.Builder http = HttpRequest.newBuilder(request.uri()).timeout(readTimeout);
        request.headers().forEach(http::header);
        http.method(request.method(), request.body() == null
                ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(request.body()));
        try {
            HttpResponse<InputStream> response = client.send(http.build(), HttpResponse.BodyHandlers.ofInputStream());
            byte[] body;
            try (InputStream in = response.body()) {
                body = in.readNBytes(MAX_BODY_BYTES + 1);
            }
            if (body.length > MAX_BODY_BYTES) {
                throw new ProviderUnavailableException("provider answer exceeds " + MAX_BODY_BYTES + " bytes", null);
            }
            Map<String, String> headers = new HashMap<>();
            response.headers().map().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), String.join(",", v)));
            return new ProviderResponse(response.statusCode(), headers, new String(body, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new ProviderUnavailableException("provider did not answer: " + e.getClass().getSimpleName(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ProviderUnavailableException("interrupted while calling the provider", e);
        }
    }

    private void checkDestination(ProviderRequest request) {
        String scheme = request.uri().getScheme();
        String host = request.uri().getHost();
        if (host == null || request.uri().getUserInfo() != null) {
            throw new ProviderUnavailableException("provider URL has no usable host", null);
        }
        InetAddress[] addresses;
        try {
            addresses = InetAddress.getAllByName(host);
        } catch (UnknownHostException e) {
            throw new ProviderUnavailableException("provider host does not resolve", e);
        }
        for (InetAddress address : addresses) {
            boolean loopback = address.isLoopbackAddress();
            if (loopback && allowLoopback) {
                continue;
            }
            if (loopback || address.isAnyLocalAddress() || address.isLinkLocalAddress() || address.isSiteLocalAddress()
                    || address.isMulticastAddress() || isCarrierGradeNat(address) || isUniqueLocal(address)) {
                throw new ProviderUnavailableException("provider address is not a public address", null);
            }
        }
        boolean loopbackHttp = "http".equals(scheme) && allowLoopback && addresses.length > 0
                && java.util.Arrays.stream(addresses).allMatch(InetAddress::isLoopbackAddress);
        if (!"https".equals(scheme) && !loopbackHttp) {
            throw new ProviderUnavailableException("provider URL must use https", null);
        }
    }

    private static boolean isCarrierGradeNat(InetAddress address) {
        byte[] b = address.getAddress();
        return b.length == 4 && (b[0] & 0xff) == 100 && (b[1] & 0xc0) == 64;
    }

    private static boolean isUniqueLocal(InetAddress address) {
        byte[] b = address.getAddress();
        return b.length == 16 && (b[0] & 0xfe) == 0xfc;
    }
}
