package app.connections.local.devserver;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The HTTP API's documentation on the dev server: {@code GET /openapi.yaml} is docs/openapi.yaml
 * as it is on disk, its {@code servers} set to this server as the request names it (Host), and
 * {@code GET /docs} renders it with Swagger UI from its Maven Central webjar (no CDN), under a CSP
 * that allows only this origin. Paste a token from {@code bin/token} into "Authorize" to call routes.
 */
final class ApiDocs {
    private static final String WEBJAR = "/META-INF/resources/webjars/swagger-ui/";
    /** The Swagger UI files the page loads, and their content types. */
    private static final Map<String, String> ASSETS = Map.of(
            "swagger-ui.css", "text/css; charset=utf-8",
            "swagger-ui-bundle.js", "text/javascript; charset=utf-8",
            "favicon-32x32.png", "image/png",
            "favicon-16x16.png", "image/png");
    static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
            + "connect-src 'self'; font-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
    private static final Pattern SERVERS = Pattern.compile("(?m)^servers:[ \\t]*\\n(?:(?:[ \\t].*|-.*|[ \\t]*)\\n)*");
    private static final Pattern HOST = Pattern.compile("^[A-Za-z0-9.-]+(:\\d{1,5})?$|^\\[[0-9A-Fa-f:.]+](:\\d{1,5})?$");

    private final Path document;
    private final String fallbackBaseUrl;
    private final String version;

    ApiDocs(Path document, String fallbackBaseUrl) {
        this.document = document;
        this.fallbackBaseUrl = fallbackBaseUrl;
        this.version = webjarVersion();
    }

    boolean serves(String path) {
        return path.equals("/openapi.yaml") || path.equals("/docs") || path.equals("/docs/")
                || path.equals("/docs/init.js") || (path.startsWith("/docs/") && ASSETS.containsKey(path.substring(6)));
    }

    void serve(HttpExchange exchange, String path) throws IOException {
        switch (path) {
            case "/openapi.yaml" -> DevServer.send(exchange, 200, Map.of("content-type", "application/yaml; charset=utf-8",
                    "cache-control", "no-store"), document(baseUrl(exchange)).getBytes(StandardCharsets.UTF_8));
            case "/docs", "/docs/" -> DevServer.send(exchange, 200, Map.of("content-type", "text/html; charset=utf-8",
                    "content-security-policy", CSP, "cache-control", "no-store"), resource("/pages/docs.html"));
            case "/docs/init.js" -> DevServer.send(exchange, 200, Map.of("content-type", "text/javascript; charset=utf-8",
                    "cache-control", "no-store"), resource("/pages/docs-init.js"));
            default -> {
                String name = path.substring("/docs/".length());
                DevServer.send(exchange, 200, Map.of("content-type", ASSETS.get(name), "cache-control", "max-age=3600"),
                        resource(WEBJAR + version + "/" + name));
            }
        }
    }

    /** docs/openapi.yaml with one server: {@code baseUrl}. */
    String document(String baseUrl) throws IOException {
        String yaml = Files.readString(document);
        String servers = "servers:\n  - url: " + baseUrl + "\n    description: This dev server (bin/local), as your request named it\n";
        Matcher m = SERVERS.matcher(yaml);
        return m.find() ? yaml.substring(0, m.start()) + servers + yaml.substring(m.end())
                : yaml.replaceFirst("(?m)^paths:", Matcher.quoteReplacement(servers) + "paths:");
    }

    /** This server as the request names it (its Host header), so the document works behind any name or port. */
    private String baseUrl(HttpExchange exchange) {
        String host = exchange.getRequestHeaders().getFirst("Host");
        return host != null && HOST.matcher(host).matches() ? "http://" + host : fallbackBaseUrl;
    }

    private static byte[] resource(String name) throws IOException {
        try (InputStream in = ApiDocs.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + name);
            }
            return in.readAllBytes();
        }
    }

    private static String webjarVersion() {
        try (InputStream in = ApiDocs.class.getResourceAsStream("/META-INF/maven/org.webjars/swagger-ui/pom.properties")) {
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version");
        } catch (IOException | NullPointerException e) {
            throw new IllegalStateException("the swagger-ui webjar is not on the classpath", e);
        }
    }
}
