package app.connections.oauth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import app.connections.catalog.App;
import app.connections.catalog.AppCatalog;
import app.connections.provider.ProviderRequest;
import app.connections.provider.ProviderResponse;
import app.connections.platform.ProviderUnreachable;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The token endpoint against the answers real providers give, including those a standards-following
 * stand-in never gives: no {@code expires_in}, no {@code refresh_token}, form-encoded bodies, Slack's
 * {@code "ok": false} with HTTP 200, Retry-After.
 */
class TokenEndpointTest {
    private static final Instant NOW = Instant.parse("2026-12-01T10:00:00Z");
    private static final OAuthClient CLIENT = new OAuthClient("our-client", "our-secret");
    private final AppCatalog catalog = AppCatalog.load(Optional.empty());
    private final List<ProviderRequest> sent = new ArrayList<>();

    private TokenEndpoint answering(int status, Map<String, String> headers, String body) {
        return new TokenEndpoint(request -> {
            sent.add(request);
            return new ProviderResponse(status, headers, body);
        });
    }

    private App app(String key) {
        return catalog.find(key).orElseThrow();
    }

    @Test
    void aRefreshAnswerWithoutARefreshTokenKeepsTheOldOne() {
        OAuthTokens tokens = answering(200, Map.of(), "{\"access_token\":\"at-2\",\"expires_in\":3600,\"token_type\":\"Bearer\"}")
                .refresh(app("google"), CLIENT, "rt-old", Map.of(), NOW);

        assertThat(tokens.accessToken()).isEqualTo("at-2");
        assertThat(tokens.refreshToken()).contains("rt-old");
        assertThat(tokens.expiresAt()).contains(NOW.plusSeconds(3600));
        assertThat(sent.get(0).body()).contains("grant_type=refresh_token").contains("refresh_token=rt-old");
    }

    @Test
    void aRotatedRefreshTokenReplacesTheOldOne() {
        OAuthTokens tokens = answering(200, Map.of(),
                "{\"access_token\":\"at-2\",\"refresh_token\":\"rt-new\",\"expires_in\":1800}")
                .refresh(app("hubspot"), CLIENT, "rt-old", Map.of(), NOW);

        assertThat(tokens.refreshToken()).contains("rt-new");
    }

    @Test
    void noExpiresInTakesTheLifetimeTheCatalogAssumesForTheApp() {
        OAuthTokens tokens = answering(200, Map.of(), "{\"access_token\":\"at-2\"}")
                .refresh(app("salesforce"), CLIENT, "rt-old", Map.of(), NOW);

        assertThat(app("salesforce").oauth2().defaultExpiresInSeconds()).isNotNull();
        assertThat(tokens.expiresAt()).contains(NOW.plusSeconds(app("salesforce").oauth2().defaultExpiresInSeconds()));
    }

    @Test
    void noExpiresInAndNoAssumedLifetimeIsATokenWithoutExpiryNotOneValidForAYear() {
        OAuthTokens tokens = answering(200, Map.of(), "{\"access_token\":\"at-2\",\"refresh_token\":\"rt-2\"}")
                .refresh(app("notion"), CLIENT, "rt-old", Map.of(), NOW);

        assertThat(app("notion").oauth2().defaultExpiresInSeconds()).isNull();
        assertThat(tokens.expiresAt()).isEmpty();
        assertThat(tokens.credential().values()).doesNotContainKey("expiresAt");
    }

    @Test
    void aFormEncodedAnswerIsReadLikeJson() {
        OAuthTokens tokens = answering(200, Map.of("content-type", "application/x-www-form-urlencoded"),
                "access_token=gho_abc&scope=repo%2Cread%3Aorg&token_type=bearer")
                .refresh(app("github"), CLIENT, "rt-old", Map.of(), NOW);

        assertThat(tokens.accessToken()).isEqualTo("gho_abc");
        assertThat(tokens.scope()).contains("repo,read:org");
        assertThat(tokens.tokenType()).isEqualTo("bearer");
    }

    @Test
    void aFormEncodedErrorWithStatus200IsAnErrorNotAMissingToken() {
        assertThatThrownBy(() -> answering(200, Map.of(), "error=bad_refresh_token&error_description=expired")
                .refresh(app("github"), CLIENT, "rt-old", Map.of(), NOW))
                .isInstanceOfSatisfying(TokenRequestFailed.class, e -> assertThat(e.kind()).isEqualTo(TokenRequestFailed.Kind.REJECTED));
    }

    @Test
    void slacksOkFalseWithStatus200IsClassifiedByTheCatalogsErrorKinds() {
        TokenEndpoint revokedGrant = answering(200, Map.of(), "{\"ok\":false,\"error\":\"invalid_refresh_token\"}");
        TokenEndpoint badSecret = answering(200, Map.of(), "{\"ok\":false,\"error\":\"bad_client_secret\"}");
        TokenEndpoint limited = answering(200, Map.of(), "{\"ok\":false,\"error\":\"ratelimited\"}");

        assertThatThrownBy(() -> revokedGrant.refresh(app("slack"), CLIENT, "xoxe-1", Map.of(), NOW))
                .isInstanceOfSatisfying(TokenRequestFailed.class, e -> assertThat(e.kind()).isEqualTo(TokenRequestFailed.Kind.INVALID_GRANT));
        assertThatThrownBy(() -> badSecret.refresh(app("slack"), CLIENT, "xoxe-1", Map.of(), NOW))
                .isInstanceOfSatisfying(TokenRequestFailed.class, e -> assertThat(e.kind()).isEqualTo(TokenRequestFailed.Kind.INVALID_CLIENT));
        assertThatThrownBy(() -> limited.refresh(app("slack"), CLIENT, "xoxe-1", Map.of(), NOW))
                .isInstanceOfSatisfying(TokenRequestFailed.class, e -> assertThat(e.kind()).isEqualTo(TokenRequestFailed.Kind.TRANSIENT));
    }

    @Test
    void slacksOkTrueAnswerIsAccepted() {
        OAuthTokens tokens = answering(200, Map.of(),
                "{\"ok\":true,\"access_token\":\"xoxb-1\",\"refresh_token\":\"xoxe-2\",\"expires_in\":43200,\"scope\":\"chat:write,users:read\"}")
                .refresh(app("slack"), CLIENT, "xoxe-1", Map.of(), NOW);

        assertThat(tokens.expiresAt()).contains(NOW.plusSeconds(43_200));
        assertThat(tokens.scope()).contains("chat:write,users:read");
    }

    @Test
    void rfc6749ErrorsMeanWhatTheSpecSays() {
        assertThat(kindOf(400, "{\"error\":\"invalid_grant\"}")).isEqualTo(TokenRequestFailed.Kind.INVALID_GRANT);
        assertThat(kindOf(401, "{\"error\":\"invalid_client\"}")).isEqualTo(TokenRequestFailed.Kind.INVALID_CLIENT);
        assertThat(kindOf(400, "{\"error\":\"unauthorized_client\"}")).isEqualTo(TokenRequestFailed.Kind.INVALID_CLIENT);
        assertThat(kindOf(401, "")).isEqualTo(TokenRequestFailed.Kind.INVALID_CLIENT);
        assertThat(kindOf(400, "{\"error\":\"invalid_scope\"}")).isEqualTo(TokenRequestFailed.Kind.REJECTED);
        assertThat(kindOf(503, "<html>down</html>")).isEqualTo(TokenRequestFailed.Kind.TRANSIENT);
        assertThat(kindOf(400, "{\"error\":\"temporarily_unavailable\"}")).isEqualTo(TokenRequestFailed.Kind.TRANSIENT);
    }

    @Test
    void a429CarriesItsRetryAfterCappedAtADay() {
        TokenEndpoint limited = answering(429, Map.of("retry-after", "120"), "{\"error\":\"slow_down\"}");
        TokenEndpoint absurd = answering(429, Map.of("retry-after", "99999999"), "");
        TokenEndpoint dated = answering(429, Map.of("retry-after", "Tue, 01 Dec 2026 10:05:00 GMT"), "");

        assertThat(failure(limited).retryAfter()).contains(Duration.ofSeconds(120));
        assertThat(failure(limited).kind()).isEqualTo(TokenRequestFailed.Kind.TRANSIENT);
        assertThat(failure(absurd).retryAfter()).contains(Duration.ofDays(1));
        assertThat(failure(dated).retryAfter()).as("an HTTP date falls back to our own backoff").isEmpty();
    }

    @Test
    void anAnswerWithoutAnAccessTokenIsTransientNotAnEmptyToken() {
        assertThat(kindOf(200, "{\"token_type\":\"Bearer\"}")).isEqualTo(TokenRequestFailed.Kind.TRANSIENT);
    }

    @Test
    void anUnreachableProviderIsTransient() {
        TokenEndpoint down = new TokenEndpoint(request -> {
            throw new ProviderUnreachable("connect timed out", null);
        });

        assertThat(failure(down).kind()).isEqualTo(TokenRequestFailed.Kind.TRANSIENT);
    }

    @Test
    void theClientAuthenticatesAsTheCatalogSays() {
        answering(200, Map.of(), "{\"access_token\":\"a\"}").refresh(app("google"), CLIENT, "rt", Map.of(), NOW);
        answering(200, Map.of(), "{\"access_token\":\"a\"}").refresh(app("airtable"), CLIENT, "rt", Map.of(), NOW);

        assertThat(app("google").oauth2().clientAuth()).isEqualTo("client_secret_post");
        assertThat(sent.get(0).body()).contains("client_id=our-client").contains("client_secret=our-secret");
        assertThat(sent.get(0).headers()).doesNotContainKey("Authorization");
        assertThat(app("airtable").oauth2().clientAuth()).isEqualTo("client_secret_basic");
        assertThat(sent.get(1).body()).doesNotContain("our-secret");
        assertThat(sent.get(1).headers().get("Authorization")).startsWith("Basic ");
        assertThat(sent).allSatisfy(r -> assertThat(r.redirects()).isEqualTo(ProviderRequest.Redirects.NEVER));
    }

    @Test
    void anExpiresInOfZeroOrGarbageIsNoLifetime() {
        OAuthTokens zero = answering(200, Map.of(), "{\"access_token\":\"a\",\"expires_in\":0}")
                .refresh(app("notion"), CLIENT, "rt", Map.of(), NOW);
        OAuthTokens text = answering(200, Map.of(), "{\"access_token\":\"a\",\"expires_in\":\"soon\"}")
                .refresh(app("notion"), CLIENT, "rt", Map.of(), NOW);

        assertThat(zero.expiresAt()).isEmpty();
        assertThat(text.expiresAt()).isEmpty();
    }

    @Test
    void anExpiresInBeyondAnyDateIsTakenAsTenYearsNotAnOverflow() {
        for (String huge : java.util.List.of("1e400", "9223372036854775807", "1e300")) {
            OAuthTokens tokens = answering(200, Map.of(), "{\"access_token\":\"a\",\"expires_in\":" + huge + "}")
                    .refresh(app("notion"), CLIENT, "rt", Map.of(), NOW);

            assertThat(tokens.expiresAt()).as(huge).contains(NOW.plusSeconds(TokenEndpoint.MAX_EXPIRES_IN_SECONDS));
        }
    }

    private TokenRequestFailed.Kind kindOf(int status, String body) {
        return failure(answering(status, Map.of(), body)).kind();
    }

    private TokenRequestFailed failure(TokenEndpoint endpoint) {
        try {
            endpoint.refresh(app("google"), CLIENT, "rt", Map.of(), NOW);
        } catch (TokenRequestFailed e) {
            return e;
        }
        throw new AssertionError("the token request did not fail");
    }
}
