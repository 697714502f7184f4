package app.connections.provider.http;

import app.connections.provider.ProviderHttp;
import app.connections.provider.ProviderRequest;
import app.connections.provider.ProviderResponse;
import app.connections.platform.ProviderUnreachable;
import app.connections.platform.InvocationDeadline;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

/**
 * {@link ProviderHttp} on the JDK HTTP client, the one way every provider call leaves the service.
 *
 * <ul>
 *   <li>https only; plain http only to loopback, and only when the local stack allows loopback.</li>
 *   <li>The host name is resolved once ({@link HostResolver}); every address must be public
 *       ({@link OutboundAddresses}); the connection goes to the checked address itself: the request
 *       URI carries that IP literal, the {@code Host} header the original name, TLS sends the name
 *       as SNI and checks the certificate against it (endpoint identification "HTTPS"). The JDK
 *       never resolves the name a second time, so DNS rebinding between check and connect cannot
 *       move the call.</li>
 *   <li>Redirects as the request says ({@link ProviderRequest.Redirects}): not followed, or up to
 *       {@value #MAX_REDIRECTS} hops, each checked and pinned like the first, none with credentials.</li>
 *   <li>One deadline for the whole exchange — connect, headers, body and every redirect hop: the
 *       configured timeout, or the request's own, or the invocation's remaining time less
 *       {@code 2 s}, whichever is first. The body is read by a subscriber that is cancelled (the
 *       connection closed) when the deadline passes, so a provider trickling its answer cannot hold
 *       the function. A redirect that is followed is not read. Connect timeout {@code 3 s} within
 *       that, answers capped at {@value #MAX_BODY_BYTES} bytes, HTTP/1.1, no proxy.</li>
 * </ul>
 *
 * <p>The JDK client takes SNI from its {@link SSLParameters} when the URI host is an IP literal, so
 * there is one client per provider host name (kept, at most {@value #MAX_CLIENTS}, least recently
 * used shut down first) and one for literal hosts and plain http. Setting {@code Host} needs the
 * JDK property {@code jdk.httpclient.allowRestrictedHeaders=host}, which this class sets before the
 * JDK client is first loaded and checks when constructed.
 */
public final class JdkProviderHttp implements ProviderHttp {
    static final int MAX_BODY_BYTES = 256 * 1024;
    static final int MAX_REDIRECTS = 3;
    static final int MAX_CLIENTS = 32;
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(3);
    /** What an invocation keeps for itself after its last provider call (to record the outcome). */
    static final Duration INVOCATION_MARGIN = Duration.ofSeconds(2);
    private static final String ALLOW_RESTRICTED = "jdk.httpclient.allowRestrictedHeaders";
    private static final Set<Integer> REDIRECTS = Set.of(301, 302, 303, 307, 308);
    /** The only request headers a redirect hop gets: nothing that can carry a credential. */
    private static final Set<String> HOP_HEADERS = Set.of("accept", "accept-language", "user-agent");
    private static final Pattern IPV4_LITERAL = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

    static {
        // Read once, when the JDK client's internals are first loaded (java.net.http module docs).
        String allowed = System.getProperty(ALLOW_RESTRICTED);
        if (allowed == null || allowed.isBlank()) {
            System.setProperty(ALLOW_RESTRICTED, "host");
        } else if (!List.of(allowed.toLowerCase(Locale.ROOT).replace(" ", "").split(",")).contains("host")) {
            System.setProperty(ALLOW_RESTRICTED, allowed + ",host");
        }
    }

    private final boolean allowLoopback;
    private final Duration readTimeout;
    private final HostResolver resolver;
    private final SSLContext tls;
    /** SNI host name ("" for none) to the client that sends it; access-ordered for eviction. */
    private final LinkedHashMap<String, HttpClient> clients = new LinkedHashMap<>(16, 0.75f, true);

    /**
     * @param allowLoopback only the local stack sets this, so tests can stand in for providers
     * @param readTimeout how long one provider call (the whole exchange, redirects included) may take
     */
    public JdkProviderHttp(boolean allowLoopback, Duration readTimeout) {
        this(allowLoopback, readTimeout, HostResolver.system(), defaultTls());
    }

    /** With another name resolution and TLS context (tests: a stand-in DNS, a test CA). */
    public JdkProviderHttp(boolean allowLoopback, Duration readTimeout, HostResolver resolver, SSLContext tls) {
        this.allowLoopback = allowLoopback;
        this.readTimeout = readTimeout;
        this.resolver = resolver;
        this.tls = tls;
        try {
            HttpRequest.newBuilder(URI.create("https://127.0.0.1/")).setHeader("Host", "provider.invalid");
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("the JDK HTTP client was loaded before " + ALLOW_RESTRICTED
                    + " allowed the Host header; start the JVM with -D" + ALLOW_RESTRICTED + "=host", e);
        }
    }

    @Override
    public ProviderResponse send(ProviderRequest request) {
        Duration budget = budget(request);
        long deadline = System.nanoTime() + budget.toNanos();
        URI uri = request.uri();
        String method = request.method();
        Map<String, String> headers = request.headers();
        String body = request.body();
        boolean follow = request.redirects() == ProviderRequest.Redirects.FOLLOW_WITHOUT_CREDENTIALS;
        for (int hop = 0; ; hop++) {
            Pinned target = pin(uri);
            String hopMethod = method;
            HttpResponse<byte[]> response = exchange(target, method, headers, body, deadline, budget,
                    info -> follow && followable(hopMethod, info));
            Optional<URI> next = follow ? redirectTarget(uri, method, response) : Optional.empty();
            if (next.isEmpty()) {
                return read(response);
            }
            if (hop == MAX_REDIRECTS) {
                throw new ProviderUnreachable("provider redirected more than " + MAX_REDIRECTS + " times", null);
            }
            uri = next.get();
            method = "HEAD".equals(method) ? "HEAD" : "GET";
            headers = withoutCredentials(headers);
            body = null;
        }
    }

    /**
     * The time the whole exchange may take: the configured timeout, the request's own when shorter,
     * and the invocation's remaining time less {@link #INVOCATION_MARGIN} when shorter still.
     */
    Duration budget(ProviderRequest request) {
        Duration budget = readTimeout;
        if (request.timeout().isPresent() && request.timeout().get().compareTo(budget) < 0) {
            budget = request.timeout().get();
        }
        Optional<Duration> left = InvocationDeadline.remaining().map(r -> r.minus(INVOCATION_MARGIN));
        if (left.isPresent() && left.get().compareTo(budget) < 0) {
            budget = left.get();
        }
        if (budget.isNegative() || budget.isZero()) {
            throw new ProviderUnreachable("no time left in this invocation to call the provider", null);
        }
        return budget;
    }

    /** The number of JDK clients kept (one per provider host name, plus one for literals). */
    synchronized int clientCount() {
        return clients.size();
    }

    /** Where one request goes: the URI with the checked IP literal, and the name for Host and SNI. */
    private record Pinned(URI connectUri, Optional<String> hostHeader, String sniName) {
    }

    private Pinned pin(URI uri) {
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        String host = uri.getHost();
        if (host == null || uri.getUserInfo() != null) {
            throw new ProviderUnreachable("provider URL has no usable host", null);
        }
        if (!scheme.equals("https") && !scheme.equals("http")) {
            throw new ProviderUnreachable("provider URL must use https", null);
        }
        boolean literal = host.startsWith("[") || IPV4_LITERAL.matcher(host).matches();
        InetAddress[] addresses;
        try {
            // a literal is parsed, not looked up
            addresses = literal ? InetAddress.getAllByName(host) : resolver.resolve(host);
        } catch (UnknownHostException e) {
            throw new ProviderUnreachable("provider host does not resolve", e);
        }
        if (addresses == null || addresses.length == 0) {
            throw new ProviderUnreachable("provider host does not resolve", null);
        }
        boolean allLoopback = true;
        for (InetAddress address : addresses) {
            boolean loopback = OutboundAddresses.isLoopback(address);
            allLoopback &= loopback;
            if (!(loopback && allowLoopback) && OutboundAddresses.isRefused(address)) {
                throw new ProviderUnreachable("provider address is not a public address", null);
            }
        }
        if (scheme.equals("http") && !(allowLoopback && allLoopback)) {
            throw new ProviderUnreachable("provider URL must use https", null);
        }
        if (literal) {
            return new Pinned(uri, Optional.empty(), "");
        }
        String sni = "";
        if (scheme.equals("https")) {
            try {
                sni = new SNIHostName(host).getAsciiName();
            } catch (IllegalArgumentException e) {
                throw new ProviderUnreachable("provider URL has no usable host", null);
            }
        }
        return new Pinned(withAddress(uri, addresses[0]), Optional.of(hostHeader(uri, scheme)), sni);
    }

    private static URI withAddress(URI uri, InetAddress address) {
        InetAddress plain;
        try {
            plain = InetAddress.getByAddress(address.getAddress()); // drops any scope id; IPv4-mapped becomes IPv4
        } catch (UnknownHostException e) {
            throw new ProviderUnreachable("provider address is unusable", e);
        }
        String literal = plain instanceof Inet6Address ? "[" + plain.getHostAddress() + "]" : plain.getHostAddress();
        return URI.create(uri.getScheme() + "://" + literal + (uri.getPort() == -1 ? "" : ":" + uri.getPort())
                + (uri.getRawPath() == null ? "" : uri.getRawPath())
                + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery()));
    }

    /** What the JDK would have sent for the name: host, and the port unless it is the scheme's default. */
    private static String hostHeader(URI uri, String scheme) {
        int port = uri.getPort();
        boolean defaultPort = port == -1 || port == (scheme.equals("https") ? 443 : 80);
        return defaultPort ? uri.getHost() : uri.getHost() + ":" + port;
    }

    /**
     * One request and its whole answer, over by {@code deadline} ({@link System#nanoTime()}): the
     * headers wait at most the time left, and the body is read by a subscriber that is cancelled
     * (closing the connection) when the time runs out. A redirect this call follows is not read at all.
     */
    private HttpResponse<byte[]> exchange(Pinned target, String method, Map<String, String> headers, String body,
                                          long deadline, Duration budget, Predicate<HttpResponse.ResponseInfo> skipBody) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
            throw pastDeadline(budget);
        }
        HttpRequest.Builder http = HttpRequest.newBuilder(target.connectUri()).timeout(Duration.ofNanos(left));
        headers.forEach((name, value) -> {
            if (!name.equalsIgnoreCase("host")) {
                http.header(name, value);
            }
        });
        target.hostHeader().ifPresent(host -> http.setHeader("Host", host));
        http.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        AtomicReference<CappedBody> reading = new AtomicReference<>();
        CompletableFuture<HttpResponse<byte[]>> call = client(target.sniName()).sendAsync(http.build(), info -> {
            CappedBody subscriber = new CappedBody(skipBody.test(info));
            reading.set(subscriber);
            return subscriber;
        });
        try {
            return call.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            abandon(call, reading);
            throw pastDeadline(budget);
        } catch (InterruptedException e) {
            abandon(call, reading);
            Thread.currentThread().interrupt();
            throw new ProviderUnreachable("interrupted while calling the provider", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            while ((cause instanceof CompletionException || cause instanceof ExecutionException) && cause.getCause() != null) {
                cause = cause.getCause();
            }
            if (cause instanceof BodyTooLarge) {
                throw new ProviderUnreachable("provider answer exceeds " + MAX_BODY_BYTES + " bytes", null);
            }
            throw new ProviderUnreachable("provider did not answer: " + cause.getClass().getSimpleName(), cause);
        }
    }

    private static ProviderUnreachable pastDeadline(Duration budget) {
        return new ProviderUnreachable("provider did not answer within the call's deadline of " + budget.toMillis()
                + " ms (Timeout)", null);
    }

    /** Stops an exchange that ran out of time: the body subscription is cancelled, the connection closed. */
    private static void abandon(CompletableFuture<?> call, AtomicReference<CappedBody> reading) {
        call.cancel(true);
        CappedBody subscriber = reading.get();
        if (subscriber != null) {
            subscriber.cancel();
        }
    }

    private synchronized HttpClient client(String sniName) {
        HttpClient client = clients.get(sniName);
        if (client == null) {
            SSLParameters parameters = tls.getDefaultSSLParameters();
            parameters.setEndpointIdentificationAlgorithm("HTTPS");
            if (!sniName.isEmpty()) {
                parameters.setServerNames(List.of(new SNIHostName(sniName)));
            }
            client = HttpClient.newBuilder()
                    .sslContext(tls)
                    .sslParameters(parameters)
                    .version(HttpClient.Version.HTTP_1_1)
                    .proxy(HttpClient.Builder.NO_PROXY)
                    .connectTimeout(CONNECT_TIMEOUT)
                    .followRedirects(HttpClient.Redirect.NEVER)
                    .build();
            clients.put(sniName, client);
            if (clients.size() > MAX_CLIENTS) {
                var eldest = clients.entrySet().iterator().next();
                eldest.getValue().shutdown(); // requests already on it complete
                clients.remove(eldest.getKey());
            }
        }
        return client;
    }

    /** Whether an answer is a redirect this request follows (then its body is not read). */
    private static boolean followable(String method, HttpResponse.ResponseInfo info) {
        int status = info.statusCode();
        if (!REDIRECTS.contains(status) || info.headers().firstValue("location").isEmpty()) {
            return false;
        }
        return !((status == 307 || status == 308) && !method.equals("GET") && !method.equals("HEAD"));
    }

    /** The next hop of a redirect this request may follow, or empty when the redirect is the answer. */
    private static Optional<URI> redirectTarget(URI current, String method, HttpResponse<?> response) {
        if (!followable(method, new Info(response))) {
            return Optional.empty(); // a 307/308 of a POST would have to resend the body
        }
        Optional<String> location = response.headers().firstValue("location");
        try {
            String next = current.resolve(new URI(location.orElseThrow().strip())).toString();
            int fragment = next.indexOf('#');
            return Optional.of(URI.create(fragment < 0 ? next : next.substring(0, fragment)));
        } catch (URISyntaxException | IllegalArgumentException e) {
            throw new ProviderUnreachable("provider redirected to an unusable URL", e);
        }
    }

    private record Info(HttpResponse<?> response) implements HttpResponse.ResponseInfo {
        @Override
        public int statusCode() {
            return response.statusCode();
        }

        @Override
        public HttpHeaders headers() {
            return response.headers();
        }

        @Override
        public HttpClient.Version version() {
            return response.version();
        }
    }

    private static Map<String, String> withoutCredentials(Map<String, String> headers) {
        Map<String, String> kept = new HashMap<>();
        headers.forEach((name, value) -> {
            if (HOP_HEADERS.contains(name.toLowerCase(Locale.ROOT))) {
                kept.put(name, value);
            }
        });
        return kept;
    }

    private static ProviderResponse read(HttpResponse<byte[]> response) {
        Map<String, String> headers = new HashMap<>();
        response.headers().map().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), String.join(",", v)));
        return new ProviderResponse(response.statusCode(), headers, new String(response.body(), StandardCharsets.UTF_8));
    }

    /** The answer's body is larger than {@link #MAX_BODY_BYTES}. */
    private static final class BodyTooLarge extends IOException {
        BodyTooLarge() {
            super("provider answer too large");
        }
    }

    /**
     * Collects a body up to {@link #MAX_BODY_BYTES} (more cancels it), or, for a redirect that is
     * followed, cancels it at once. {@link #cancel()} ends it from another thread when time runs out.
     */
    private static final class CappedBody implements HttpResponse.BodySubscriber<byte[]> {
        private final CompletableFuture<byte[]> result = new CompletableFuture<>();
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private final boolean skip;
        private volatile Flow.Subscription subscription;

        CappedBody(boolean skip) {
            this.skip = skip;
        }

        @Override
        public CompletionStage<byte[]> getBody() {
            return result;
        }

        @Override
        public void onSubscribe(Flow.Subscription s) {
            subscription = s;
            if (skip) {
                result.complete(new byte[0]);
            }
            if (result.isDone()) {
                s.cancel();
            } else {
                s.request(Long.MAX_VALUE);
            }
        }

        @Override
        public void onNext(List<ByteBuffer> items) {
            if (result.isDone()) {
                return;
            }
            for (ByteBuffer item : items) {
                if (bytes.size() + item.remaining() > MAX_BODY_BYTES) {
                    result.completeExceptionally(new BodyTooLarge());
                    subscription.cancel();
                    return;
                }
                byte[] chunk = new byte[item.remaining()];
                item.get(chunk);
                bytes.write(chunk, 0, chunk.length);
            }
        }

        @Override
        public void onError(Throwable error) {
            result.completeExceptionally(error);
        }

        @Override
        public void onComplete() {
            result.complete(bytes.toByteArray());
        }

        void cancel() {
            result.completeExceptionally(new CancellationException("past the call's deadline"));
            Flow.Subscription s = subscription;
            if (s != null) {
                s.cancel();
            }
        }
    }

    private static SSLContext defaultTls() {
        try {
            return SSLContext.getDefault();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("no default TLS context", e);
        }
    }
}
