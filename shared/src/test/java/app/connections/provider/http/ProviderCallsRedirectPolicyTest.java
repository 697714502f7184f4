package app.connections.provider.http;

import static app.connections.provider.http.TestProviders.answer;
import static app.connections.provider.http.TestProviders.redirect;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import app.connections.catalog.App;
import app.connections.catalog.AppCatalog;
import app.connections.connection.ApiKeyCheck;
import app.connections.oauth.IdentityReader;
import app.connections.oauth.OAuthClient;
import app.connections.oauth.OAuthFlowException;
import app.connections.oauth.OAuthTokens;
import app.connections.oauth.RevocationEndpoint;
import app.connections.oauth.TokenEndpoint;
import app.connections.platform.Json;
import app.connections.provider.http.TestProviders.Provider;
import app.connections.provider.http.TestProviders.Seen;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Each provider call says whether a redirect may be followed: the token and revocation endpoints
 * never (their bodies carry the client secret, a code or a token), the identity endpoint and the
 * API-key check up to a few hops, without the credentials. A provider whose endpoints all redirect
 * to {@code /moved...} shows which.
 */
class ProviderCallsRedirectPolicyTest {
    private Provider provider;
    private App oauthApp;
    private App keyApp;
    private final JdkProviderHttp http = new JdkProviderHttp(true, Duration.ofSeconds(3));
    private final OAuthClient client = new OAuthClient("client-1", "client-secret-1");

    @BeforeEach
    void setUp() throws Exception {
        provider = TestProviders.http(exchange -> {
            String path = exchange.getRequestURI().getPath();
            if (path.startsWith("/moved")) {
                answer(exchange, 200, "{\"access_token\":\"stolen\",\"id\":\"account-7\"}");
            } else {
                redirect(exchange, 302, "/moved" + path); // a 302 of a POST would be followed as a GET
            }
        });
        String base = "http://127.0.0.1:" + provider.port();
        Path catalog = Files.createTempFile("catalog", ".json");
        Files.writeString(catalog, """
                {"apps": [
                  {"key": "moving-crm", "name": "Moving CRM", "credentialKinds": ["OAUTH2"],
                   "oauth2": {"authorizationUrl": "%1$s/authorize", "tokenUrl": "%1$s/token", "clientAuth": "client_secret_post",
                              "identity": {"from": "endpoint", "url": "%1$s/me", "pointers": ["/id"]},
                              "revocation": {"url": "%1$s/revoke", "style": "rfc7009"}}},
                  {"key": "moving-keys", "name": "Moving Keys", "credentialKinds": ["API_KEY"],
                   "apiKey": {"test": {"url": "%1$s/check", "auth": {"type": "header", "name": "X-Api-Key", "value": "{apiKey}"},
                              "identityPointers": ["/id"]}}}
                ]}
                """.formatted(base));
        AppCatalog apps = AppCatalog.load(Optional.of(catalog));
        oauthApp = apps.find("moving-crm").orElseThrow();
        keyApp = apps.find("moving-keys").orElseThrow();
    }

    @AfterEach
    void tearDown() {
        provider.close();
    }

    @Test
    void theCodeExchangeDoesNotFollowARedirectSoTheClientSecretGoesNowhereElse() {
        assertThatThrownBy(() -> new TokenEndpoint(http).exchangeCode(oauthApp, client, "code-1", "https://us.test/cb",
                Optional.empty(), Map.of(), Instant.now()))
                .isInstanceOf(OAuthFlowException.class).hasMessageContaining("HTTP 302");

        assertThat(provider.seen()).extracting(Seen::path).containsExactly("/token");
    }

    @Test
    void aRefreshDoesNotFollowARedirect() {
        assertThatThrownBy(() -> new TokenEndpoint(http).refresh(oauthApp, client, "refresh-1", Map.of(), Instant.now()))
                .hasMessageContaining("HTTP 302");

        assertThat(provider.seen()).extracting(Seen::path).containsExactly("/token");
    }

    @Test
    void aRevocationDoesNotFollowARedirect() {
        assertThat(new RevocationEndpoint(http).revoke(oauthApp, client, "refresh-1", "refresh_token", Map.of()))
                .isEqualTo(RevocationEndpoint.Result.REFUSED);

        assertThat(provider.seen()).extracting(Seen::path).containsExactly("/revoke");
    }

    @Test
    void theIdentityEndpointIsFollowedButTheAccessTokenStaysWithTheFirstRequest() {
        var exchange = new TokenEndpoint.Exchange(new OAuthTokens("access-1", Optional.empty(), Optional.empty(),
                Optional.empty(), "Bearer"), Json.MAPPER.createObjectNode());

        assertThat(new IdentityReader(http).read(oauthApp, exchange, Map.of())).isEqualTo("account-7");

        assertThat(provider.seen()).extracting(Seen::path).containsExactly("/me", "/moved/me");
        assertThat(provider.seen().get(0).header("authorization")).contains("Bearer access-1");
        assertThat(provider.seen().get(1).headers()).doesNotContainKey("authorization");
    }

    @Test
    void theApiKeyCheckIsFollowedButTheKeyStaysWithTheFirstRequest() {
        assertThat(new ApiKeyCheck(http).verify(keyApp, "key-abc", Map.of())).contains("account-7");

        assertThat(provider.seen()).extracting(Seen::path).containsExactly("/check", "/moved/check");
        assertThat(provider.seen().get(0).header("x-api-key")).contains("key-abc");
        assertThat(provider.seen().get(1).headers()).doesNotContainKey("x-api-key");
        assertThat(provider.seen().get(1).headers().values()).noneMatch(v -> v.contains("key-abc"));
    }
}
