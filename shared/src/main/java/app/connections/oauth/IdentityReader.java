package app.connections.oauth;

import app.connections.catalog.App;
import app.connections.catalog.OAuth2Spec;
import app.connections.connection.ExternalAccounts;
import app.connections.platform.Json;
import app.connections.provider.ProviderHttp;
import app.connections.provider.ProviderRequest;
import app.connections.provider.ProviderResponse;
import app.connections.platform.ProviderUnreachable;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads who the connected external account is, where the catalog says: the token response, a
 * claim of the id_token (received directly from the token endpoint over TLS, OIDC Core 3.1.3.7),
 * an identity endpoint called with the new access token, or an extra field (Shopify's shop).
 */
public final class IdentityReader {
    private final ProviderHttp http;

    public IdentityReader(ProviderHttp http) {
        this.http = http;
    }

    /** The connected account: its identity (the dedupe key) and how people tell it apart ({@link ExternalAccounts}). */
    public record Account(String identity, String display) {
    }

    public String read(App app, TokenEndpoint.Exchange exchange, Map<String, String> fields) {
        return readAccount(app, exchange, fields).identity();
    }

    public Account readAccount(App app, TokenEndpoint.Exchange exchange, Map<String, String> fields) {
        OAuth2Spec.Identity spec = app.oauth2().identity();
        List<String> parts = new ArrayList<>();
        switch (spec.from()) {
            case "token_response" -> spec.pointers().forEach(p -> parts.add(exchange.body().at(p).asText("")));
            case "id_token" -> {
                JsonNode claims = idTokenClaims(exchange.body().path("id_token").asText(""));
                spec.pointers().forEach(claim -> parts.add(claims.path(claim).asText("")));
            }
            case "field" -> spec.pointers().forEach(name -> parts.add(fields.getOrDefault(name, "")));
            case "endpoint" -> {
                JsonNode body = callIdentityEndpoint(app, spec, exchange.tokens().accessToken(), fields);
                spec.pointers().forEach(p -> parts.add(body.at(p).asText("")));
            }
            default -> throw new IllegalStateException("unknown identity source " + spec.from());
        }
        if (parts.isEmpty() || parts.stream().anyMatch(String::isBlank)) {
            throw new OAuthFlowException("identity_failed", app.name() + " did not say which account was connected", null);
        }
        // a "field" identity is the field itself: shown once, not as field and reported value
        List<String> reported = "field".equals(spec.from()) ? List.of() : parts;
        String identity = String.join(":", parts);
        return new Account(identity, ExternalAccounts.display(app, fields, reported).orElse(identity));
    }

    private JsonNode callIdentityEndpoint(App app, OAuth2Spec.Identity spec, String accessToken, Map<String, String> fields) {
        Map<String, String> headers = new LinkedHashMap<>(spec.headers());
        headers.put("Accept", "application/json");
        headers.put("Authorization", "Bearer " + accessToken);
        ProviderResponse response;
        try {
            response = http.send(new ProviderRequest(spec.method(), app.expand(spec.url(), fields), headers, null,
                    ProviderRequest.Redirects.FOLLOW_WITHOUT_CREDENTIALS));
        } catch (ProviderUnreachable e) {
            throw new OAuthFlowException("identity_failed", app.name() + " identity endpoint could not be reached", e);
        }
        if (response.status() != 200) {
            throw new OAuthFlowException("identity_failed", app.name() + " identity endpoint answered HTTP " + response.status(), null);
        }
        try {
            return Json.MAPPER.readTree(response.body());
        } catch (IOException e) {
            throw new OAuthFlowException("identity_failed", app.name() + " identity endpoint answered unusably", e);
        }
    }

    private static JsonNode idTokenClaims(String idToken) {
        String[] parts = idToken.split("\\.");
        if (parts.length < 2) {
            return Json.MAPPER.missingNode();
        }
        try {
            return Json.MAPPER.readTree(new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8));
        } catch (IOException | IllegalArgumentException e) {
            return Json.MAPPER.missingNode();
        }
    }
}
