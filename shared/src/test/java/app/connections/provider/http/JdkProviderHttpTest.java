package app.connections.provider.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import app.connections.provider.ProviderRequest;
import app.connections.provider.ProviderUnavailableException;
import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** The one client every provider call goes through refuses internal destinations and follows no redirect. */
class JdkProviderHttpTest {
    private final JdkProviderHttp strict = new JdkProviderHttp(false, Duration.ofSeconds(2));

    static ProviderRequest get(String url) {
        return new ProviderRequest("GET", URI.create(url), Map.of("Authorization", "Bearer secret"), null);
    }

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
                .isInstanceOf(ProviderUnavailableException.class)
                .hasMessageNotContaining("secret");
    }

    @Test
    void plainHttpIsRefusedUnlessTheLocalStackAllowsLoopback() {
        assertThatThrownBy(() -> strict.send(get("http://93.184.216.34/token")))
                .isInstanceOf(ProviderUnavailableException.class).hasMessageContaining("https");
    }

    @Test
    void aRedirectIsReturnedNotFollowedSoCredentialsNeverReachItsTarget() throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            exchange.getResponseHeaders().set("Location", "http://169.254.169.254/latest/meta-data/");
            exchange.sendResponseHeaders(302, -1);
            exchange.close();
        });
        server.start();
        try {
            var loopbackAllowed = new JdkProviderHttp(true, Duration.ofSeconds(2));
            var response = loopbackAllowed.send(get("http://127.0.0.1:" + server.getAddress().getPort() + "/token"));
            assertThat(response.status()).isEqualTo(302);
        } finally {
            server.stop(0);
        }
    }

    @Test
    void anAnswerLargerThanTheCapIsRefused() throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            byte[] big = new byte[JdkProviderHttp.MAX_BODY_BYTES + 10];
            exchange.sendResponseHeaders(200, big.length);
            exchange.getResponseBody().write(big);
            exchange.close();
        });
        server.start();
        try {
            var loopbackAllowed = new JdkProviderHttp(true, Duration.ofSeconds(2));
            assertThatThrownBy(() -> loopbackAllowed.send(get("http://127.0.0.1:" + server.getAddress().getPort() + "/")))
                    .isInstanceOf(ProviderUnavailableException.class).hasMessageContaining("exceeds");
        } finally {
            server.stop(0);
        }
    }

    @Test
    void aSlowProviderTimesOut() throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            try {
                Thread.sleep(3_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        server.setExecutor(java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor());
        server.start();
        try {
            var loopbackAllowed = new JdkProviderHttp(true, Duration.ofMillis(300));
            assertThatThrownBy(() -> loopbackAllowed.send(get("http://127.0.0.1:" + server.getAddress().getPort() + "/")))
                    .isInstanceOf(ProviderUnavailableException.class);
        } finally {
            server.stop(0);
        }
    }
}
