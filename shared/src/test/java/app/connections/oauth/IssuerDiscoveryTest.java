package app.connections.oauth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import app.connections.catalog.App;
import app.connections.catalog.AppCatalog;
import app.connections.platform.InvalidField;
import app.connections.provider.http.HostResolver;
import app.connections.provider.http.JdkProviderHttp;
import app.connections.provider.http.OutboundRules;
import app.connections.testing.OAuthWorld;
import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issuer metadata that would send the service somewhere it must not go is refused at first use,
 * with an error naming the app and the field: another issuer, an http endpoint, an endpoint on an
 * internal address. The metadata is served over real HTTP and read through the pinned client.
 */
class IssuerDiscoveryTest {
    private HttpServer server;
    private String issuer;
    private final AtomicReference<String> metadata = new AtomicReference<>();
    private final AtomicInteger fetches = new AtomicInteger();
    private final AtomicInteger status = new AtomicInteger(200);
    private final OAuthWorld.MutableClock clock = new OAuthWorld.MutableClock();
    /** DNS as the test says: a public host, an internal one, loopback as it is. */
    private final HostResolver dns = host -> switch (host) {
        case "auth.example.com" -> new InetAddress[] {InetAddress.getByAddress(host, new byte[] {93, (byte) 184, (byte) 215, 14})};
        case "internal.example.com" -> new InetAddress[] {InetAddress.getByAddress(host, new byte[] {10, 0, 0, 7})};
        case "localhost" -> new InetAddress[] {InetAddress.getLoopbackAddress()};
        default -> throw new UnknownHostException(host);
    };
    private OAuthEndpoints endpoints;

    @BeforeEach
    void serveMetadata() throws Exception {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            try (exchange) {
                boolean ours = exchange.getRequestURI().getPath().equals("/.well-known/oauth-authorization-server/tenant");
                byte[] body = (ours ? metadata.get() : "{}").getBytes(StandardCharsets.UTF_8);
                if (ours) {
                    fetches.incrementAndGet();
                }
                exchange.getResponseHeaders().set("Content-Type", "application/json");
                exchange.sendResponseHeaders(ours ? status.get() : 404, body.length);
                exchange.getResponseBody().write(body);
            }
        });
        server.start();
        issuer = "http://127.0.0.1:" + server.getAddress().getPort() + "/tenant";
        endpoints = new OAuthEndpoints(new JdkProviderHttp(true, Duration.ofSeconds(3)), new OutboundRules(true, dns), clock);
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private App app() throws Exception {
        Path file = Files.createTempFile("catalog", ".json");
        Files.writeString(file, """
                {"apps": [{"key": "acme-idp", "name": "Acme IdP", "credentialKinds": ["OAUTH2"],
                           "oauth2": {"issuer": "%s", "discovery": "oauth-authorization-server"}}]}
                """.formatted(issuer));
        return AppCatalog.load(Optional.of(file)).find("acme-idp").orElseThrow();
    }

    private void publish(String issuerInMetadata, String tokenEndpoint) {
        metadata.set("""
                {"issuer": "%s", "authorization_endpoint": "%s/authorize", "token_endpoint": "%s",
                 "revocation_endpoint": "%s/revoke", "response_types_supported": ["code"],
                 "code_challenge_methods_supported": ["S256"], "authorization_response_iss_parameter_supported": true,
                 "token_endpoint_auth_methods_supported": ["client_secret_post"]}
                """.formatted(issuerInMetadata, issuer, tokenEndpoint, issuer));
    }

    @Test
    void theEndpointsPkceIssParameterAndClientAuthenticationComeFromTheIssuersMetadata() throws Exception {
        publish(issuer, issuer + "/token");

        App resolved = endpoints.resolve(app());

        assertThat(resolved.oauth2().authorizationUrl()).isEqualTo(issuer + "/authorize");
        assertThat(resolved.oauth2().tokenUrl()).isEqualTo(issuer + "/token");
        assertThat(resolved.oauth2().revocation().url()).isEqualTo(issuer + "/revoke");
        assertThat(resolved.oauth2().revocation().style()).isEqualTo("rfc7009");
        assertThat(resolved.oauth2().pkce()).isTrue();
        assertThat(resolved.oauth2().sendsIssuer()).as("RFC 9207 iss is then required").isTrue();
        assertThat(resolved.oauth2().clientAuth()).isEqualTo("client_secret_post");
        assertThat(resolved.oauth2().identity().from()).isEqualTo("id_token");
        assertThat(resolved.oauth2().discovered()).isFalse();
    }

    @Test
    void metadataNamingAnotherIssuerIsRefusedNamingTheAppAndBothIssuers() throws Exception {
        publish("https://evil.example.com/tenant", issuer + "/token");

        assertThatThrownBy(() -> endpoints.resolve(app())).isInstanceOf(InvalidField.class)
                .hasMessageContaining("Acme IdP (app acme-idp)").hasMessageContaining("issuer")
                .hasMessageContaining("https://evil.example.com/tenant").hasMessageContaining("not the configured " + issuer)
                .satisfies(e -> assertThat(((InvalidField) e).code()).isEqualTo("app_misconfigured"));
    }

    @Test
    void anHttpEndpointOnAPublicHostIsRefusedNamingTheField() throws Exception {
        publish(issuer, "http://auth.example.com/token");

        assertThatThrownBy(() -> endpoints.resolve(app())).isInstanceOf(InvalidField.class)
                .hasMessageContaining("app acme-idp").hasMessageContaining("token_endpoint: http://auth.example.com/token is not an https URL");
    }

    @Test
    void anEndpointResolvingToAnInternalAddressIsRefusedNamingTheField() throws Exception {
        publish(issuer, "https://internal.example.com/token");

        assertThatThrownBy(() -> endpoints.resolve(app())).isInstanceOf(InvalidField.class)
                .hasMessageContaining("app acme-idp")
                .hasMessageContaining("token_endpoint: https://internal.example.com/token resolves to an internal address");
    }

    @Test
    void anEndpointOffTheAppsAllowedHostsIsRefusedNamingTheField() throws Exception {
        publish(issuer, "https://auth.example.com/token");
        Path file = Files.createTempFile("catalog", ".json");
        Files.writeString(file, """
                {"apps": [{"key": "held", "name": "Held", "credentialKinds": ["OAUTH2"],
                           "oauth2": {"issuer": "%s", "discovery": "oauth-authorization-server", "allowedHostSuffix": "acme.example"}}]}
                """.formatted(issuer));
        App held = AppCatalog.load(Optional.of(file)).find("held").orElseThrow();

        assertThatThrownBy(() -> endpoints.resolve(held)).isInstanceOf(InvalidField.class)
                .hasMessageContaining("app held").hasMessageContaining("authorization_endpoint: " + issuer
                        + "/authorize is not on the app's allowed hosts (acme.example)");
    }

    @Test
    void goodMetadataIsKeptForAnHourAndAMistakeForAMinute() throws Exception {
        App app = app();
        publish(issuer, "https://internal.example.com/token");
        assertThatThrownBy(() -> endpoints.resolve(app)).isInstanceOf(InvalidField.class);
        assertThatThrownBy(() -> endpoints.resolve(app)).isInstanceOf(InvalidField.class);
        assertThat(fetches.get()).as("a mistake is not fetched again at once").isEqualTo(1);

        publish(issuer, "https://auth.example.com/token"); // the operator fixed it
        clock.advance(OAuthEndpoints.FAILURE_TTL.plusSeconds(1));
        assertThat(endpoints.resolve(app).oauth2().tokenUrl()).isEqualTo("https://auth.example.com/token");
        endpoints.resolve(app);
        assertThat(fetches.get()).isEqualTo(2);
        clock.advance(OAuthEndpoints.TTL.plusSeconds(1));
        endpoints.resolve(app);
        assertThat(fetches.get()).isEqualTo(3);
    }

    @Test
    void anIssuerThatCannotAnswerNowIsAskedAgainNextTimeAndItsRefreshesBackOffLikeATokenEndpoint5xx() throws Exception {
        App app = app();
        publish(issuer, issuer + "/token");
        status.set(503);
        assertThatThrownBy(() -> endpoints.resolve(app)).isInstanceOf(app.connections.platform.ProviderUnreachable.class);
        TokenEndpoint tokens = new TokenEndpoint(new JdkProviderHttp(true, Duration.ofSeconds(3)), endpoints);
        OAuthClient client = new OAuthClient("client-1", "secret-1");
        assertThatThrownBy(() -> tokens.refresh(app, client, "refresh-1", java.util.Map.of(), clock.instant()))
                .isInstanceOfSatisfying(TokenRequestFailed.class,
                        e -> assertThat(e.kind()).isEqualTo(TokenRequestFailed.Kind.TRANSIENT));
        assertThat(new RevocationEndpoint(new JdkProviderHttp(true, Duration.ofSeconds(3)), endpoints)
                .revoke(app, client, "refresh-1", "refresh_token", java.util.Map.of()))
                .as("the token is still live there: retried").isEqualTo(RevocationEndpoint.Result.RETRY);
        assertThat(fetches.get()).as("not remembered: every use asks again").isEqualTo(3);

        status.set(200);
        publish(issuer, "https://internal.example.com/token");
        assertThatThrownBy(() -> tokens.refresh(app, client, "refresh-1", java.util.Map.of(), clock.instant()))
                .as("our set-up of the app is wrong, as with a refused client: one alert per app and hour, backoff")
                .isInstanceOfSatisfying(TokenRequestFailed.class,
                        e -> assertThat(e.kind()).isEqualTo(TokenRequestFailed.Kind.INVALID_CLIENT));
    }

    @Test
    void theMetadataIsLookedForWhereRfc8414AndOpenIdConnectDiscoveryPutIt() {
        assertThat(OAuthEndpoints.metadataUrls("https://idp.example.com/tenant/1", "auto")).containsExactly(
                URI.create("https://idp.example.com/.well-known/oauth-authorization-server/tenant/1"),
                URI.create("https://idp.example.com/tenant/1/.well-known/openid-configuration"));
        assertThat(OAuthEndpoints.metadataUrls("https://idp.example.com", "openid-configuration"))
                .containsExactly(URI.create("https://idp.example.com/.well-known/openid-configuration"));
        assertThat(OAuthEndpoints.metadataUrls("https://idp.example.com/", "oauth-authorization-server"))
                .containsExactly(URI.create("https://idp.example.com/.well-known/oauth-authorization-server"));
    }

    @Test
    void anEntryWithDiscoveryNamesItsIssuerAndNoEndpointsOfItsOwn() throws Exception {
        for (String oauth2 : List.of("{\"discovery\": \"auto\"}",
                "{\"issuer\": \"https://idp.example.com\", \"discovery\": \"auto\", \"tokenUrl\": \"https://idp.example.com/token\"}",
                "{\"issuer\": \"https://idp.example.com?x=1\", \"discovery\": \"auto\"}",
                "{\"issuer\": \"https://idp.example.com\", \"discovery\": \"webfinger\"}")) {
            Path file = Files.createTempFile("catalog", ".json");
            Files.writeString(file, "{\"apps\": [{\"key\": \"idp\", \"name\": \"IdP\", \"credentialKinds\": [\"OAUTH2\"], \"oauth2\": "
                    + oauth2 + "}]}");
            assertThatThrownBy(() -> AppCatalog.load(Optional.of(file))).as(oauth2).hasMessageContaining("oauth2.");
        }
    }
}
