package app.connections.oauth;

import app.connections.catalog.App;
import app.connections.catalog.OAuth2Spec;
import app.connections.platform.Json;
import app.connections.provider.ProviderHttp;
import app.connections.provider.ProviderRequest;
import app.connections.provider.ProviderResponse;
import app.connections.platform.ProviderUnreachable;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * A provider's token endpoint, as its catalog entry describes it: client authentication (basic or
 * post), extra token parameters, JSON or form-encoded answers, a body {@code ok} flag, and a
 * default lifetime when {@code expires_in} is missing.
 */
public final class TokenEndpoint {
    /** The longest token lifetime taken from an answer (ten years). */
    static final long MAX_EXPIRES_IN_SECONDS = 10L * 366 * 86_400;

    private final ProviderHttp http;
    private final OAuthEndpoints endpoints;

    /** A token endpoint for apps that name their endpoints (a discovered app is refused). */
    public TokenEndpoint(ProviderHttp http) {
        this(http, OAuthEndpoints.declaredOnly());
    }

    /** A token endpoint that resolves discovered apps' endpoints with {@code endpoints}. */
    public TokenEndpoint(ProviderHttp http, OAuthEndpoints endpoints) {
        this.http = http;
        this.endpoints = endpoints;
    }

    /** The resolver of apps' endpoints this token endpoint uses (the connect flow resolves with it too). */
    public OAuthEndpoints endpoints() {
        return endpoints;
    }

    /** The authorization-code grant (RFC 6749 §4.1.3, with the PKCE verifier when the app uses PKCE). */
    public Exchange exchangeCode(App app, OAuthClient client, String code, String redirectUri, Optional<String> verifier,
                                 Map<String, String> fields, Instant now) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "authorization_code");
        form.put("code", code);
        form.put("redirect_uri", redirectUri);
        verifier.ifPresent(v -> form.put("code_verifier", v));
        try {
            return call(app, client, form, fields, now);
        } catch (TokenRequestFailed e) {
            throw new OAuthFlowException("token_exchange_failed", e.getMessage(), e);
        }
    }

    /**
     * The refresh-token grant (RFC 6749 §6). A new refresh token in the answer replaces the old
     * one; an absent one keeps it. Failures are classified ({@link TokenRequestFailed.Kind}).
     */
    public OAuthTokens refresh(App app, OAuthClient client, String refreshToken, Map<String, String> fields, Instant now) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "refresh_token");
        form.put("refresh_token", refreshToken);
        OAuthTokens granted = call(app, client, form, fields, now).tokens();
        return new OAuthTokens(granted.accessToken(), Optional.of(granted.refreshToken().orElse(refreshToken)),
                granted.expiresAt(), granted.scope(), granted.tokenType());
    }

    /** The outcome: the tokens and the raw answer (identity may be read from it), never logged. */
    public record Exchange(OAuthTokens tokens, JsonNode body) {
        @Override
        public String toString() {
            return "Exchange[" + tokens + "]";
        }
    }

    Exchange call(App declared, OAuthClient client, Map<String, String> form, Map<String, String> fields, Instant now) {
        App app;
        try {
            app = endpoints.resolve(declared);
        } catch (ProviderUnreachable e) {
            throw new TokenRequestFailed(TokenRequestFailed.Kind.TRANSIENT, declared.name() + " issuer metadata could not be fetched",
                    Optional.empty(), e);
        } catch (app.connections.platform.InvalidField e) { // our set-up of the app is wrong, as with a refused client
            throw new TokenRequestFailed(TokenRequestFailed.Kind.INVALID_CLIENT, e.getMessage(), Optional.empty(), e);
        }
        OAuth2Spec spec = app.oauth2();
        Map<String, String> body = new LinkedHashMap<>(form);
        body.putAll(spec.extraTokenParams());
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Accept", "application/json");
        headers.put("Content-Type", "application/x-www-form-urlencoded");
        if ("client_secret_post".equals(spec.clientAuth())) {
            body.put("client_id", client.clientId());
            body.put("client_secret", client.clientSecret());
        } else {
            headers.put("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                    (urlEncode(client.clientId()) + ":" + urlEncode(client.clientSecret())).getBytes(StandardCharsets.UTF_8)));
        }
        ProviderResponse response;
        try {
            response = http.send(new ProviderRequest("POST", app.expand(spec.tokenUrl(), fields), headers,
                    body.entrySet().stream().map(e -> urlEncode(e.getKey()) + "=" + urlEncode(e.getValue()))
                            .collect(Collectors.joining("&")), ProviderRequest.Redirects.NEVER));
        } catch (ProviderUnreachable e) {
            throw new TokenRequestFailed(TokenRequestFailed.Kind.TRANSIENT, app.name() + " token endpoint could not be reached",
                    Optional.empty(), e);
        }
        JsonNode json = parse(response);
        if (response.status() != 200 || (spec.tokenResponse().okPointer() != null
                && !json.at(spec.tokenResponse().okPointer()).asBoolean(false))
                || (!json.path("error").asText("").isEmpty() && json.at(spec.tokenResponse().accessTokenPointer()).isMissingNode())) {
            throw classify(app, response, json);
        }
        String accessToken = json.at(spec.tokenResponse().accessTokenPointer()).asText("");
        if (accessToken.isEmpty()) {
            throw new TokenRequestFailed(TokenRequestFailed.Kind.TRANSIENT, app.name() + " token endpoint granted no access token",
                    Optional.empty(), null);
        }
        // a lifetime past ten years (1e400 reads as infinity) is taken as ten years, not an overflow
        Optional<Instant> expiresAt = json.hasNonNull("expires_in") && json.get("expires_in").asLong(0) > 0
                ? Optional.of(now.plusSeconds(Math.min(json.get("expires_in").asLong(), MAX_EXPIRES_IN_SECONDS)))
                : Optional.ofNullable(spec.defaultExpiresInSeconds()).map(now::plusSeconds);
        return new Exchange(new OAuthTokens(accessToken, text(json, "refresh_token"), expiresAt, text(json, "scope"),
                text(json, "token_type").orElse("Bearer")), json);
    }

    /**
     * RFC 6749 §5.2 error codes (and the HTTP status) to what the failure means; the app's own codes
     * first ({@code tokenResponse.errorKinds}, e.g. Slack's {@code invalid_refresh_token} with HTTP 200).
     */
    private static TokenRequestFailed classify(App app, ProviderResponse response, JsonNode json) {
        String error = json.path("error").asText("");
        int status = response.status();
        String message = app.name() + " token endpoint refused (HTTP " + status + (error.isEmpty() ? "" : ", " + error) + ")";
        String declared = app.oauth2().tokenResponse().errorKinds().get(error);
        TokenRequestFailed.Kind kind;
        if (declared != null) {
            kind = TokenRequestFailed.Kind.valueOf(declared.toUpperCase(java.util.Locale.ROOT));
        } else if (status == 429 || status >= 500 || error.equals("temporarily_unavailable") || error.equals("server_error")) {
            kind = TokenRequestFailed.Kind.TRANSIENT;
        } else if (error.equals("invalid_grant")) {
            kind = TokenRequestFailed.Kind.INVALID_GRANT;
        } else if (error.equals("invalid_client") || error.equals("unauthorized_client") || status == 401) {
            kind = TokenRequestFailed.Kind.INVALID_CLIENT;
        } else {
            kind = TokenRequestFailed.Kind.REJECTED;
        }
        Optional<java.time.Duration> retryAfter = response.header("retry-after").flatMap(TokenEndpoint::seconds);
        return new TokenRequestFailed(kind, message, retryAfter, null);
    }

    private static Optional<java.time.Duration> seconds(String value) {
        try {
            long s = Long.parseLong(value.strip());
            return s >= 0 ? Optional.of(java.time.Duration.ofSeconds(Math.min(s, 86_400))) : Optional.empty();
        } catch (NumberFormatException e) {
            return Optional.empty(); // an HTTP-date: ignored, the backoff applies
        }
    }

    private static Optional<String> text(JsonNode json, String name) {
        JsonNode value = json.get(name);
        return value == null || value.isNull() || value.asText().isEmpty() ? Optional.empty() : Optional.of(value.asText());
    }

    /** JSON, or a form-encoded answer (some providers ignore Accept) as a JSON object of strings. */
    private static JsonNode parse(ProviderResponse response) {
        String body = response.body().strip();
        if (body.startsWith("{")) {
            try {
                return Json.MAPPER.readTree(body);
            } catch (IOException e) {
                return Json.MAPPER.createObjectNode();
            }
        }
        ObjectNode node = Json.MAPPER.createObjectNode();
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                node.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return node;
    }

    static String urlEncode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
