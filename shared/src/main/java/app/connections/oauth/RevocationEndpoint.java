package app.connections.oauth;

import app.connections.platform.Json;
import app.connections.catalog.App;
import app.connections.catalog.OAuth2Spec;
import app.connections.provider.ProviderHttp;
import app.connections.provider.ProviderRequest;
import app.connections.provider.ProviderResponse;
import app.connections.platform.ProviderUnreachable;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/** RFC 7009 token revocation at the provider, as the catalog describes its endpoint. */
public final class RevocationEndpoint {
    /** How a revocation attempt went. */
    public enum Result {
        /** The provider confirmed (HTTP 200). */
        DONE,
        /** 5xx, 429 or no answer: try again later. */
        RETRY,
        /** The app has no standard revocation endpoint; nothing to do at the provider. */
        UNSUPPORTED,
        /** Refused for good (4xx): give up. */
        REFUSED
    }

    private final ProviderHttp http;
    private final OAuthEndpoints endpoints;

    /** Revocation for apps that name their endpoints (a discovered app is retried, never sent). */
    public RevocationEndpoint(ProviderHttp http) {
        this(http, OAuthEndpoints.declaredOnly());
    }

    /** Revocation that resolves discovered apps' endpoints with {@code endpoints}. */
    public RevocationEndpoint(ProviderHttp http, OAuthEndpoints endpoints) {
        this.http = http;
        this.endpoints = endpoints;
    }

    /**
     * Revokes one token, with its {@code token_type_hint}. A discovered app whose metadata cannot be
     * had now, or names a URL the service may not call, is retried: the token is still live there.
     */
    public Result revoke(App declared, OAuthClient client, String token, String hint, Map<String, String> fields) {
        App app;
        try {
            app = endpoints.resolve(declared);
        } catch (ProviderUnreachable | app.connections.platform.InvalidField e) {
            return Result.RETRY;
        }
        OAuth2Spec.Revocation spec = app.oauth2() == null ? null : app.oauth2().revocation();
        if (spec == null || !"rfc7009".equals(spec.style())) {
            return Result.UNSUPPORTED;
        }
        Map<String, String> form = new LinkedHashMap<>();
        form.put(spec.tokenParam(), token);
        form.put("token_type_hint", hint);
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/x-www-form-urlencoded");
        String auth = spec.clientAuth() == null ? app.oauth2().clientAuth() : spec.clientAuth();
        if ("client_secret_basic".equals(auth)) {
            headers.put("Authorization", "Basic " + Base64.getEncoder().encodeToString((TokenEndpoint.urlEncode(client.clientId())
                    + ":" + TokenEndpoint.urlEncode(client.clientSecret())).getBytes(StandardCharsets.UTF_8)));
        } else if ("client_secret_post".equals(auth)) {
            form.put("client_id", client.clientId());
            form.put("client_secret", client.clientSecret());
        }
        ProviderResponse response;
        try {
            response = http.send(new ProviderRequest(spec.method(), app.expand(spec.url(), fields), headers,
                    form.entrySet().stream().map(e -> TokenEndpoint.urlEncode(e.getKey()) + "=" + TokenEndpoint.urlEncode(e.getValue()))
                            .collect(Collectors.joining("&")), ProviderRequest.Redirects.NEVER));
        } catch (ProviderUnreachable e) {
            return Result.RETRY;
        }
        if (response.status() == 200) {
            return Result.DONE;
        }
        return response.status() == 429 || response.status() >= 500 || ourClientRefused(response) ? Result.RETRY : Result.REFUSED;
    }

    /**
     * RFC 7009 §2.2.1: {@code invalid_client} (or a 401) means our client credentials were refused,
     * not the token: the token is still live at the provider, so the revocation is retried (once the
     * operator has fixed the registration) instead of given up.
     */
    private static boolean ourClientRefused(ProviderResponse response) {
        if (response.status() == 401) {
            return true;
        }
        try {
            String error = Json.MAPPER.readTree(response.body()).path("error").asText("");
            return error.equals("invalid_client") || error.equals("unauthorized_client");
        } catch (java.io.IOException | RuntimeException notJson) {
            return false;
        }
    }
}
