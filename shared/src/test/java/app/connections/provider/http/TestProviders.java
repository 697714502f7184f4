package app.connections.provider.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsExchange;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/** Local providers for the outbound tests: HTTP or HTTPS on 127.0.0.1, recording what reached them. */
final class TestProviders {
    private static final char[] PASSWORD = "changeit".toCharArray();

    private TestProviders() {
    }

    /** One request as the provider saw it. */
    record Seen(String method, String path, Map<String, String> headers, String body, Optional<String> sni) {
        Optional<String> header(String name) {
            return Optional.ofNullable(headers.get(name.toLowerCase(java.util.Locale.ROOT)));
        }
    }

    /** A provider whose answers the test writes; {@link #seen()} lists what reached it. */
    static final class Provider implements AutoCloseable {
        final HttpServer server;
        final List<Seen> seen = new CopyOnWriteArrayList<>();

        Provider(HttpServer server, HttpHandler answer) {
            this.server = server;
            server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
            server.createContext("/", exchange -> {
                seen.add(record(exchange));
                answer.handle(exchange);
            });
            server.start();
        }

        int port() {
            return server.getAddress().getPort();
        }

        List<Seen> seen() {
            return seen;
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }

    static Provider http(HttpHandler answer) throws IOException {
        return new Provider(HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0), answer);
    }

    /** An HTTPS provider on 127.0.0.1 presenting {@code certificate}. */
    static Provider https(KeyStore certificate, HttpHandler answer) throws Exception {
        HttpsServer server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(serving(certificate)));
        return new Provider(server, answer);
    }

    /** A server TLS context presenting {@code certificate}. */
    static SSLContext serving(KeyStore certificate) throws Exception {
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(certificate, PASSWORD);
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(keys.getKeyManagers(), null, null);
        return tls;
    }

    /** A key pair and a self-signed certificate for {@code dnsName} (and only it), made by the JDK's keytool. */
    static KeyStore selfSigned(String dnsName) throws Exception {
        Path dir = Files.createTempDirectory("tls");
        Path file = dir.resolve("site.p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "site", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=" + dnsName,
                "-ext", "SAN=dns:" + dnsName, "-validity", "2", "-storetype", "PKCS12", "-keystore", file.toString(),
                "-storepass", new String(PASSWORD), "-keypass", new String(PASSWORD), "-noprompt")
                .redirectErrorStream(true).start();
        String out = new String(keytool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!keytool.waitFor(60, TimeUnit.SECONDS) || keytool.exitValue() != 0) {
            throw new IllegalStateException("keytool failed: " + out);
        }
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(file)) {
            store.load(in, PASSWORD);
        }
        return store;
    }

    /** A client TLS context that trusts exactly these certificates (the JDK's PKIX trust manager). */
    static SSLContext trusting(KeyStore... certificates) throws Exception {
        KeyStore trusted = KeyStore.getInstance("PKCS12");
        trusted.load(null, null);
        int i = 0;
        for (KeyStore store : certificates) {
            trusted.setCertificateEntry("ca-" + i++, store.getCertificate("site"));
        }
        TrustManagerFactory trust = TrustManagerFactory.getInstance("PKIX");
        trust.init(trusted);
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(null, trust.getTrustManagers(), null);
        return tls;
    }

    /** Answers {@code status} with a JSON body. */
    static void answer(HttpExchange exchange, int status, String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            exchange.getResponseBody().write(bytes);
        }
        exchange.close();
    }

    /** Answers {@code status} with a Location header. */
    static void redirect(HttpExchange exchange, int status, String location) throws IOException {
        exchange.getResponseHeaders().set("Location", location);
        exchange.sendResponseHeaders(status, -1);
        exchange.close();
    }

    /** How a trickled answer ended: written to the end, or cut off by the caller closing the connection. */
    static final class Trickle {
        final java.util.concurrent.atomic.AtomicBoolean finished = new java.util.concurrent.atomic.AtomicBoolean();
        final java.util.concurrent.CountDownLatch cut = new java.util.concurrent.CountDownLatch(1);
    }

    /**
     * Answers {@code status} (with {@code headers}) at once, then its {@code bytes}-byte body one byte
     * every {@code everyMillis}: the provider that holds a caller by trickling.
     */
    static void trickle(HttpExchange exchange, int status, Map<String, String> headers, int bytes, long everyMillis,
                        Trickle trickle) throws IOException {
        headers.forEach(exchange.getResponseHeaders()::set);
        exchange.sendResponseHeaders(status, bytes);
        try (var out = exchange.getResponseBody()) {
            for (int i = 0; i < bytes; i++) {
                Thread.sleep(everyMillis);
                out.write('x');
                out.flush();
            }
            trickle.finished.set(true);
        } catch (IOException e) {
            trickle.cut.countDown(); // the caller closed the connection
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static Seen record(HttpExchange exchange) throws IOException {
        Map<String, String> headers = new TreeMap<>();
        exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(java.util.Locale.ROOT), String.join(",", v)));
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        Optional<String> sni = Optional.empty();
        if (exchange instanceof HttpsExchange https && https.getSSLSession() instanceof ExtendedSSLSession session) {
            sni = session.getRequestedServerNames().stream().filter(SNIHostName.class::isInstance)
                    .map(n -> ((SNIHostName) n).getAsciiName()).findFirst();
        }
        return new Seen(exchange.getRequestMethod(), exchange.getRequestURI().toString(), headers, body, sni);
    }
}
