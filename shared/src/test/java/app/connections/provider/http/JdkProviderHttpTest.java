package app.connections.provider.http;

import static app.connections.provider.http.TestProviders.answer;
import static app.connections.provider.http.TestProviders.redirect;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import app.connections.provider.ProviderRequest;
import app.connections.provider.ProviderRequest.Redirects;
import app.connections.platform.ProviderUnreachable;
import app.connections.provider.http.TestProviders.Provider;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.security.KeyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The one client every provider call goes through: refuses internal destinations (by literal or
 * by name), connects to exactly the address it checked, checks the certificate against the name,
 * and follows redirects only when the request allows it, without credentials.
 */
class JdkProviderHttpTest {
    static final String SECRET = "Bearer secret-token";
    private final JdkProviderHttp strict = new JdkProviderHttp(false, Duration.ofSeconds(2));
    static KeyStore providerCert;
    static KeyStore otherCert;
    static SSLContext trustingBoth;

    @BeforeAll
    static void certificates() throws Exception {
        providerCert = TestProviders.selfSigned("provider.test");
        otherCert = TestProviders.selfSigned("other.test");
        trustingBoth = TestProviders.trusting(providerCert, otherCert);
    }

    static ProviderRequest get(String url, Redirects redirects) {
        return new ProviderRequest("GET", URI.create(url), Map.of("Authorization", SECRET), null, redirects);
    }

    static ProviderRequest get(String url) {
        return get(url, Redirects.NEVER);
    }

    /** A name resolution that knows the test names and nothing else. */
    static HostResolver dns(Map<String, InetAddress> names) {
        return host -> {
            InetAddress address = names.get(host);
            if (address == null) {
                throw new UnknownHostException(host);
            }
            return new InetAddress[] {address};
        };
    }

    static InetAddress ip(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(literal, e);
        }
    }

    /** The IPv4-mapped IPv6 form (::ffff:a.b.c.d) as an Inet6Address, as a resolver may hand it out. */
    static InetAddress mapped(String v4) {
        byte[] b = new byte[16];
        b[10] = (byte) 0xff;
        b[11] = (byte) 0xff;
        System.arraycopy(ip(v4).getAddress(), 0, b, 12, 4);
        try {
            return Inet6Address.getByAddress(null, b, -1);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(v4, e);
        }
    }

    // ------------------------------------------------------------------ forbidden destinations

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
            "https://127.0.0.1/token",            // loopback
            "https://localhost/token",            // loopback by name
            "https://10.1.2.3/token",             // RFC 1918
            "https://172.16.0.1/token",           // RFC 1918
            "https://192.168.1.1/token",          // RFC 1918
            "https://169.254.169.254/latest/meta-data", // link-local, the instance metadata service
            "https://100.64.0.1/token",           // CGNAT
            "https://0.0.0.0/token",              // any-local
            "https://[::1]/token",                // IPv6 loopback
            "https://[fd00::1]/token",            // unique-local
            "https://[fe80::1]/token",            // IPv6 link-local
            "https://[::ffff:127.0.0.1]/token",   // IPv4-mapped loopback
            "https://[::ffff:169.254.169.254]/x", // IPv4-mapped link-local
            "https://224.0.0.1/token"             // multicast
    })
    void anInternalDestinationIsRefusedBeforeAnyByteIsSent(String url) {
        assertThatThrownBy(() -> strict.send(get(url)))
                .isInstanceOf(ProviderUnreachable.class)
                .hasMessageContaining("not a public address")
                .hasMessageNotContaining("secret");
    }

    static Stream<InetAddress> forbiddenAnswers() {
        List<InetAddress> out = new ArrayList<>();
        for (String v4 : List.of("127.0.0.1", "127.255.0.9", "10.0.0.7", "172.16.0.1", "172.31.255.254", "192.168.0.10",
                "169.254.169.254", "169.254.0.1", "100.64.0.1", "100.127.255.254", "0.0.0.0", "0.1.2.3", "224.0.0.1",
                "255.255.255.255", "192.0.0.8", "198.18.0.1")) {
            out.add(ip(v4));
            out.add(mapped(v4));
        }
        for (String v6 : List.of("::1", "::", "fd00::1", "fc00::5", "fd00:ec2::254", "fe80::1", "fec0::1", "ff02::1",
                "::a9fe:a9fe",            // IPv4-compatible 169.254.169.254
                "64:ff9b::a9fe:a9fe",     // NAT64 169.254.169.254
                "64:ff9b::a00:7",         // NAT64 10.0.0.7
                "2002:a9fe:a9fe::1",      // 6to4 around 169.254.169.254
                "2002:c0a8:1::1")) {      // 6to4 around 192.168.0.1
            out.add(ip(v6));
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("forbiddenAnswers")
    void aProviderNameThatResolvesToAnInternalAddressIsRefused(InetAddress answer) {
        var http = new JdkProviderHttp(false, Duration.ofSeconds(2), dns(Map.of("api.provider.test", answer)), trustingBoth);

        assertThatThrownBy(() -> http.send(get("https://api.provider.test/v1/me")))
                .isInstanceOf(ProviderUnreachable.class)
                .hasMessageContaining("not a public address");
    }

    @Test
    void theMappedFormsReallyAreIpv6ObjectsSoTheCheckCannotRelyOnTheJdkConvertingThem() {
        assertThat(mapped("169.254.169.254")).isInstanceOf(Inet6Address.class);
        assertThat(ip("::ffff:169.254.169.254")).as("what a literal becomes").isInstanceOf(Inet4Address.class);
    }

    @Test
    void aNameWithOnePublicAndOneInternalAddressIsRefused() {
        HostResolver both = host -> new InetAddress[] {ip("93.184.216.34"), ip("10.0.0.7")};
        var http = new JdkProviderHttp(false, Duration.ofSeconds(2), both, trustingBoth);

        assertThatThrownBy(() -> http.send(get("https://api.provider.test/v1/me")))
                .isInstanceOf(ProviderUnreachable.class).hasMessageContaining("not a public address");
    }

    @Test
    void plainHttpIsRefusedUnlessTheLocalStackAllowsLoopback() {
        assertThatThrownBy(() -> strict.send(get("http://93.184.216.34/token")))
                .isInstanceOf(ProviderUnreachable.class).hasMessageContaining("https");
        var loopbackAllowed = new JdkProviderHttp(true, Duration.ofSeconds(2));
        assertThatThrownBy(() -> loopbackAllowed.send(get("http://93.184.216.34/token")))
                .as("loopback allowed is not plain http allowed").hasMessageContaining("https");
        assertThatThrownBy(() -> strict.send(get("ftp://93.184.216.34/token"))).hasMessageContaining("https");
    }

    // ------------------------------------------------------------------ pinning and TLS

    @Test
    void theCallGoesToTheAddressThatWasCheckedEvenWhenTheNameIsReboundRightAfter() throws Exception {
        try (Provider provider = TestProviders.https(providerCert, exchange -> answer(exchange, 200, "{\"id\":\"u-1\"}"))) {
            AtomicInteger lookups = new AtomicInteger();
            // first answer: the (local) provider; every later one: the instance metadata service
            HostResolver rebinding = host -> {
                if (!host.equals("provider.test")) {
                    throw new UnknownHostException(host);
                }
                return new InetAddress[] {lookups.getAndIncrement() == 0 ? ip("127.0.0.1") : ip("169.254.169.254")};
            };
            var http = new JdkProviderHttp(true, Duration.ofSeconds(5), rebinding, trustingBoth);
            String url = "https://provider.test:" + provider.port() + "/v1/me?x=1";

            var response = http.send(get(url));

            // provider.test is not in any real DNS: had the JDK looked the name up itself, the call would have failed
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.body()).contains("u-1");
            assertThat(lookups).hasValue(1);
            assertThat(provider.seen()).singleElement().satisfies(seen -> {
                assertThat(seen.path()).isEqualTo("/v1/me?x=1");
                assertThat(seen.header("host")).contains("provider.test:" + provider.port());
                assertThat(seen.sni()).contains("provider.test");
                assertThat(seen.header("authorization")).contains(SECRET);
            });

            assertThatThrownBy(() -> http.send(get(url)))
                    .as("the next request resolves again, sees the metadata address and stops")
                    .isInstanceOf(ProviderUnreachable.class).hasMessageContaining("not a public address");
            assertThat(lookups).hasValue(2);
            assertThat(provider.seen()).hasSize(1);
        }
    }

    @Test
    void aCertificateForAnotherNameIsRefusedAndNothingIsSent() throws Exception {
        try (Provider impostor = TestProviders.https(otherCert, exchange -> answer(exchange, 200, "{}"))) {
            var http = new JdkProviderHttp(true, Duration.ofSeconds(5), dns(Map.of("provider.test", ip("127.0.0.1"))),
                    trustingBoth);

            assertThatThrownBy(() -> http.send(get("https://provider.test:" + impostor.port() + "/token")))
                    .isInstanceOf(ProviderUnreachable.class)
                    .hasMessageContaining("SSLHandshakeException")
                    .hasMessageNotContaining("secret");
            assertThat(impostor.seen()).isEmpty();
        }
    }

    @Test
    void anUntrustedCertificateIsRefused() throws Exception {
        try (Provider provider = TestProviders.https(providerCert, exchange -> answer(exchange, 200, "{}"))) {
            var http = new JdkProviderHttp(true, Duration.ofSeconds(5), dns(Map.of("provider.test", ip("127.0.0.1"))),
                    TestProviders.trusting(otherCert));

            assertThatThrownBy(() -> http.send(get("https://provider.test:" + provider.port() + "/token")))
                    .isInstanceOf(ProviderUnreachable.class).hasMessageContaining("SSLHandshakeException");
            assertThat(provider.seen()).isEmpty();
        }
    }

    @Test
    void callsToOneHostShareOneClientAndEachHostGetsItsOwn() throws Exception {
        try (Provider provider = TestProviders.https(providerCert, exchange -> answer(exchange, 200, "{}"));
             Provider other = TestProviders.https(otherCert, exchange -> answer(exchange, 200, "{}"))) {
            var http = new JdkProviderHttp(true, Duration.ofSeconds(5),
                    dns(Map.of("provider.test", ip("127.0.0.1"), "other.test", ip("127.0.0.1"))), trustingBoth);

            for (int i = 0; i < 3; i++) {
                assertThat(http.send(get("https://provider.test:" + provider.port() + "/a")).status()).isEqualTo(200);
            }
            assertThat(http.clientCount()).isEqualTo(1);
            assertThat(http.send(get("https://other.test:" + other.port() + "/b")).status()).isEqualTo(200);

            assertThat(http.clientCount()).isEqualTo(2);
            assertThat(other.seen()).singleElement().satisfies(seen -> assertThat(seen.sni()).contains("other.test"));
        }
    }

    // ------------------------------------------------------------------ redirects

    @Test
    void aRequestThatMustNotFollowRedirectsGetsTheRedirectAsItsAnswer() throws Exception {
        try (Provider provider = TestProviders.http(exchange -> {
            if (exchange.getRequestURI().getPath().equals("/token")) {
                redirect(exchange, 307, "/elsewhere");
            } else {
                answer(exchange, 200, "{\"access_token\":\"x\"}");
            }
        })) {
            var loopbackAllowed = new JdkProviderHttp(true, Duration.ofSeconds(2));
            var post = new ProviderRequest("POST", URI.create("http://127.0.0.1:" + provider.port() + "/token"),
                    Map.of("Authorization", SECRET), "client_secret=s3cr3t", Redirects.NEVER);

            var response = loopbackAllowed.send(post);

            assertThat(response.status()).isEqualTo(307);
            assertThat(provider.seen()).extracting(TestProviders.Seen::path).containsExactly("/token");
        }
    }

    @Test
    void aFollowedRedirectHopGetsNoCredentialsNoBodyAndIsCheckedAndPinnedAgain() throws Exception {
        try (Provider provider = TestProviders.https(providerCert, exchange -> {
            if (exchange.getRequestURI().getPath().equals("/start")) {
                redirect(exchange, 302, "https://provider.test:" + exchange.getLocalAddress().getPort() + "/landing#top");
            } else {
                answer(exchange, 200, "{\"id\":\"u-2\"}");
            }
        })) {
            AtomicInteger lookups = new AtomicInteger();
            HostResolver counting = host -> {
                lookups.incrementAndGet();
                return new InetAddress[] {ip("127.0.0.1")};
            };
            var http = new JdkProviderHttp(true, Duration.ofSeconds(5), counting, trustingBoth);
            var request = new ProviderRequest("POST", URI.create("https://provider.test:" + provider.port() + "/start"),
                    Map.of("Authorization", SECRET, "X-Api-Key", "key-123", "Cookie", "session=abc",
                            "Accept", "application/json", "User-Agent", "connections/1.0"),
                    "apiKey=key-123", Redirects.FOLLOW_WITHOUT_CREDENTIALS);

            var response = http.send(request);

            assertThat(response.status()).isEqualTo(200);
            assertThat(response.body()).contains("u-2");
            assertThat(lookups).as("each hop is resolved and checked").hasValue(2);
            assertThat(provider.seen()).hasSize(2);
            assertThat(provider.seen().get(0).header("authorization")).contains(SECRET);
            var hop = provider.seen().get(1);
            assertThat(hop.method()).isEqualTo("GET");
            assertThat(hop.path()).isEqualTo("/landing");
            assertThat(hop.body()).isEmpty();
            assertThat(hop.headers()).doesNotContainKeys("authorization", "x-api-key", "cookie")
                    .containsEntry("accept", "application/json").containsEntry("user-agent", "connections/1.0");
            assertThat(hop.headers().values()).noneMatch(v -> v.contains("key-123") || v.contains("secret"));
            assertThat(hop.sni()).contains("provider.test");
        }
    }

    @Test
    void aRedirectToAnInternalAddressIsRefused() throws Exception {
        try (Provider provider = TestProviders.http(exchange -> {
            switch (exchange.getRequestURI().getPath()) {
                case "/metadata" -> redirect(exchange, 302, "http://169.254.169.254/latest/meta-data/iam/");
                case "/by-name" -> redirect(exchange, 301, "https://internal.test/admin");
                default -> redirect(exchange, 303, "https://[::ffff:10.0.0.7]/x");
            }
        })) {
            var http = new JdkProviderHttp(true, Duration.ofSeconds(2), dns(Map.of("internal.test", ip("10.0.0.7"))),
                    trustingBoth);
            String base = "http://127.0.0.1:" + provider.port();

            for (String path : List.of("/metadata", "/by-name", "/mapped")) {
                assertThatThrownBy(() -> http.send(get(base + path, Redirects.FOLLOW_WITHOUT_CREDENTIALS)))
                        .as(path).isInstanceOf(ProviderUnreachable.class)
                        .hasMessageContaining("not a public address");
            }
        }
    }

    @Test
    void aRedirectFromHttpsToPlainHttpIsRefused() throws Exception {
        try (Provider provider = TestProviders.https(providerCert, exchange -> redirect(exchange, 302, "http://93.184.216.34/x"))) {
            var http = new JdkProviderHttp(true, Duration.ofSeconds(5), dns(Map.of("provider.test", ip("127.0.0.1"))),
                    trustingBoth);

            assertThatThrownBy(() -> http.send(get("https://provider.test:" + provider.port() + "/me",
                    Redirects.FOLLOW_WITHOUT_CREDENTIALS)))
                    .isInstanceOf(ProviderUnreachable.class).hasMessageContaining("https");
        }
    }

    @Test
    void moreThanThreeHopsAreNotFollowed() throws Exception {
        try (Provider provider = TestProviders.http(exchange -> {
            int n = Integer.parseInt(exchange.getRequestURI().getPath().substring("/hop/".length()));
            redirect(exchange, 302, "/hop/" + (n + 1));
        })) {
            var loopbackAllowed = new JdkProviderHttp(true, Duration.ofSeconds(2));

            assertThatThrownBy(() -> loopbackAllowed.send(get("http://127.0.0.1:" + provider.port() + "/hop/0",
                    Redirects.FOLLOW_WITHOUT_CREDENTIALS)))
                    .isInstanceOf(ProviderUnreachable.class).hasMessageContaining("more than 3");
            assertThat(provider.seen()).extracting(TestProviders.Seen::path)
                    .containsExactly("/hop/0", "/hop/1", "/hop/2", "/hop/3");
        }
    }

    @Test
    void aTemporaryRedirectOfAPostIsNotFollowedBecauseItWouldResendTheBody() throws Exception {
        try (Provider provider = TestProviders.http(exchange -> redirect(exchange, 307, "/other"))) {
            var loopbackAllowed = new JdkProviderHttp(true, Duration.ofSeconds(2));
            var post = new ProviderRequest("POST", URI.create("http://127.0.0.1:" + provider.port() + "/check"),
                    Map.of("Authorization", SECRET), "", Redirects.FOLLOW_WITHOUT_CREDENTIALS);

            assertThat(loopbackAllowed.send(post).status()).isEqualTo(307);
            assertThat(provider.seen()).hasSize(1);
        }
    }

    // ------------------------------------------------------------------ size and time

    @Test
    void anAnswerLargerThanTheCapIsRefused() throws Exception {
        try (Provider provider = TestProviders.http(exchange -> {
            byte[] big = new byte[JdkProviderHttp.MAX_BODY_BYTES + 10];
            exchange.sendResponseHeaders(200, big.length);
            exchange.getResponseBody().write(big);
            exchange.close();
        })) {
            var loopbackAllowed = new JdkProviderHttp(true, Duration.ofSeconds(2));
            assertThatThrownBy(() -> loopbackAllowed.send(get("http://127.0.0.1:" + provider.port() + "/")))
                    .isInstanceOf(ProviderUnreachable.class).hasMessageContaining("exceeds");
        }
    }

    @Test
    void aSlowProviderTimesOut() throws Exception {
        try (Provider provider = TestProviders.http(exchange -> {
            try {
                Thread.sleep(3_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        })) {
            var loopbackAllowed = new JdkProviderHttp(true, Duration.ofMillis(300));
            assertThatThrownBy(() -> loopbackAllowed.send(get("http://127.0.0.1:" + provider.port() + "/")))
                    .isInstanceOf(ProviderUnreachable.class).hasMessageContaining("Timeout");
        }
    }

    // ------------------------------------------------------------------ one deadline for the whole exchange

    @Test
    void aProviderTricklingItsBodyPastTheDeadlineFailsWhileItIsStillTricklingAndLosesTheConnection() throws Exception {
        var trickle = new TestProviders.Trickle();
        // headers at once, then 100 bytes over 10 s: the header timeout alone would wait for all of it
        try (Provider provider = TestProviders.http(exchange -> TestProviders.trickle(exchange, 200,
                Map.of("Content-Type", "application/json"), 100, 100, trickle))) {
            var http = new JdkProviderHttp(true, Duration.ofMillis(500));
            long start = System.nanoTime();

            assertThatThrownBy(() -> http.send(get("http://127.0.0.1:" + provider.port() + "/me")))
                    .isInstanceOf(ProviderUnreachable.class)
                    .hasMessageContaining("deadline of 500 ms");

            assertThat(trickle.finished).as("the provider was still trickling when the call gave up").isFalse();
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(8));
            assertThat(trickle.cut.await(8, java.util.concurrent.TimeUnit.SECONDS))
                    .as("the connection was closed, so the provider's next write fails").isTrue();
        }
    }

    @Test
    void aRedirectHopThatTricklesItsBodyIsFollowedWithoutWaitingForIt() throws Exception {
        var trickle = new TestProviders.Trickle();
        try (Provider provider = TestProviders.http(exchange -> {
            if (exchange.getRequestURI().getPath().equals("/start")) {
                TestProviders.trickle(exchange, 302, Map.of("Location", "/landing"), 100, 100, trickle);
            } else {
                answer(exchange, 200, "{\"id\":\"u-3\"}");
            }
        })) {
            var http = new JdkProviderHttp(true, Duration.ofSeconds(3));

            var response = http.send(get("http://127.0.0.1:" + provider.port() + "/start", Redirects.FOLLOW_WITHOUT_CREDENTIALS));

            assertThat(response.body()).contains("u-3");
            assertThat(trickle.finished).as("the hop's body was never waited for").isFalse();
        }
    }

    @Test
    void aRedirectHopTricklingItsAnswerPastTheDeadlineFailsTheCall() throws Exception {
        var trickle = new TestProviders.Trickle();
        try (Provider provider = TestProviders.http(exchange -> {
            if (exchange.getRequestURI().getPath().equals("/start")) {
                redirect(exchange, 302, "/landing");
            } else {
                TestProviders.trickle(exchange, 200, Map.of(), 100, 100, trickle);
            }
        })) {
            var http = new JdkProviderHttp(true, Duration.ofMillis(600));

            assertThatThrownBy(() -> http.send(get("http://127.0.0.1:" + provider.port() + "/start",
                    Redirects.FOLLOW_WITHOUT_CREDENTIALS)))
                    .isInstanceOf(ProviderUnreachable.class).hasMessageContaining("deadline");
            assertThat(provider.seen()).extracting(TestProviders.Seen::path).containsExactly("/start", "/landing");
            assertThat(trickle.finished).isFalse();
        }
    }

    @Test
    void theHopsShareOneDeadlineRatherThanEachGettingItsOwn() throws Exception {
        // each answer alone comes well within the timeout; the two together do not
        try (Provider provider = TestProviders.http(exchange -> {
            pause(700);
            if (exchange.getRequestURI().getPath().equals("/start")) {
                redirect(exchange, 302, "/landing");
            } else {
                answer(exchange, 200, "{}");
            }
        })) {
            var http = new JdkProviderHttp(true, Duration.ofMillis(1_000));

            assertThatThrownBy(() -> http.send(get("http://127.0.0.1:" + provider.port() + "/start",
                    Redirects.FOLLOW_WITHOUT_CREDENTIALS)))
                    .isInstanceOf(ProviderUnreachable.class).hasMessageContaining("Timeout");
            assertThat(provider.seen()).extracting(TestProviders.Seen::path).containsExactly("/start", "/landing");
        }
    }

    @Test
    void aCallerSetsAShorterTimeoutForOneCall() throws Exception {
        var trickle = new TestProviders.Trickle();
        try (Provider provider = TestProviders.http(exchange -> TestProviders.trickle(exchange, 200, Map.of(), 100, 100, trickle))) {
            var http = new JdkProviderHttp(true, Duration.ofSeconds(10));

            assertThatThrownBy(() -> http.send(get("http://127.0.0.1:" + provider.port() + "/").within(Duration.ofMillis(300))))
                    .isInstanceOf(ProviderUnreachable.class).hasMessageContaining("deadline of 300 ms");
            assertThat(trickle.finished).isFalse();
        }
    }

    @Test
    void aCallEndsBeforeTheInvocationDoesLeavingItsMargin() throws Exception {
        var trickle = new TestProviders.Trickle();
        try (Provider provider = TestProviders.http(exchange -> TestProviders.trickle(exchange, 200, Map.of(), 100, 100, trickle))) {
            var http = new JdkProviderHttp(true, Duration.ofSeconds(10));
            String url = "http://127.0.0.1:" + provider.port() + "/";
            Duration remaining = JdkProviderHttp.INVOCATION_MARGIN.plusMillis(400);

            var failure = org.assertj.core.api.Assertions.catchThrowable(() -> app.connections.platform.InvocationDeadline.within(
                    remaining, () -> http.send(get(url))));

            assertThat(failure).isInstanceOf(ProviderUnreachable.class).hasMessageContaining("deadline of");
            long budgetMs = Long.parseLong(failure.getMessage().replaceAll(".*deadline of (\\d+) ms.*", "$1"));
            assertThat(budgetMs).as("the invocation's time less the margin, not the configured 10 s").isBetween(1L, 400L);
            assertThat(trickle.finished).isFalse();

            assertThatThrownBy(() -> app.connections.platform.InvocationDeadline.within(
                    JdkProviderHttp.INVOCATION_MARGIN.minusMillis(1), () -> http.send(get(url + "late"))))
                    .as("an invocation within its margin calls no provider")
                    .isInstanceOf(ProviderUnreachable.class).hasMessageContaining("no time left");
            assertThat(provider.seen()).extracting(TestProviders.Seen::path).containsExactly("/");
        }
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
