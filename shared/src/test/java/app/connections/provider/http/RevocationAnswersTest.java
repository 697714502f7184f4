package app.connections.provider.http;

import static org.assertj.core.api.Assertions.assertThat;

import app.connections.catalog.App;
import app.connections.catalog.AppCatalog;
import app.connections.oauth.OAuthClient;
import app.connections.oauth.RevocationEndpoint;
import app.connections.provider.http.TestProviders.Provider;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** How a provider's answer to an RFC 7009 revocation decides between done, retry and refused. */
class RevocationAnswersTest {
    private final AtomicReference<int[]> status = new AtomicReference<>(new int[] {200});
    private final AtomicReference<String> body = new AtomicReference<>("");
    private Provider provider;

    private RevocationEndpoint.Result revokeAnswered(int code, String answer) throws Exception {
        status.set(new int[] {code});
        body.set(answer);
        provider = TestProviders.http(exchange -> {
            byte[] bytes = body.get().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(status.get()[0], bytes.length == 0 ? -1 : bytes.length);
            if (bytes.length > 0) {
                exchange.getResponseBody().write(bytes);
            }
            exchange.close();
        });
        Path catalog = Files.createTempFile("catalog", ".json");
        Files.writeString(catalog, """
                {"apps": [{"key": "crm", "name": "CRM", "credentialKinds": ["OAUTH2"],
                  "oauth2": {"authorizationUrl": "http://127.0.0.1:%1$d/authorize", "tokenUrl": "http://127.0.0.1:%1$d/token",
                             "clientAuth": "client_secret_post",
                             "identity": {"from": "endpoint", "url": "http://127.0.0.1:%1$d/me", "pointers": ["/id"]},
                             "revocation": {"url": "http://127.0.0.1:%1$d/revoke", "style": "rfc7009"}}}]}
                """.formatted(provider.port()));
        App app = AppCatalog.load(Optional.of(catalog)).find("crm").orElseThrow();
        return new RevocationEndpoint(new JdkProviderHttp(true, Duration.ofSeconds(3)))
                .revoke(app, new OAuthClient("client-1", "secret-1"), "refresh-1", "refresh_token", Map.of());
    }

    @AfterEach
    void tearDown() {
        provider.close();
    }

    @Test
    void aRevokedTokenIsDone() throws Exception {
        assertThat(revokeAnswered(200, "")).isEqualTo(RevocationEndpoint.Result.DONE);
    }

    @Test
    void ourClientCredentialsRefusedIsRetriedNotGivenUpBecauseTheTokenIsStillLive() throws Exception {
        assertThat(revokeAnswered(401, "{\"error\":\"invalid_client\"}")).isEqualTo(RevocationEndpoint.Result.RETRY);
    }

    @Test
    void invalidClientAnsweredWith400IsRetriedToo() throws Exception {
        assertThat(revokeAnswered(400, "{\"error\":\"invalid_client\"}")).isEqualTo(RevocationEndpoint.Result.RETRY);
    }

    @Test
    void aTokenTypeTheProviderCannotRevokeIsRefused() throws Exception {
        assertThat(revokeAnswered(400, "{\"error\":\"unsupported_token_type\"}")).isEqualTo(RevocationEndpoint.Result.REFUSED);
    }

    @Test
    void aBusyProviderIsRetried() throws Exception {
        assertThat(revokeAnswered(503, "")).isEqualTo(RevocationEndpoint.Result.RETRY);
    }
}
