package app.connections.connection;

import app.connections.catalog.ApiKeySpec;
import app.connections.catalog.App;
import app.connections.platform.CredentialRejected;
import app.connections.platform.Json;
import app.connections.platform.ProviderUnreachable;
import app.connections.provider.ProviderHttp;
import app.connections.provider.ProviderRequest;
import app.connections.provider.ProviderResponse;
import app.connections.platform.ProviderUnreachable;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Tries an API key against the app's catalog test request before anything is saved. A refused key
 * is a 422 and an unreachable or failing provider a 502, both with nothing stored; an accepted key
 * yields the external identity the app reports, when the catalog says where to read it.
 */
public final class ApiKeyCheck {
    private final ProviderHttp http;

    public ApiKeyCheck(ProviderHttp http) {
        this.http = http;
    }

    /** The identity the app reports for this key (empty when the catalog defines no test or no identity). */
    public Optional<String> verify(App app, String apiKey, Map<String, String> fields) {
        ApiKeySpec.KeyTest test = app.apiKey().test();
        if (test == null) {
            return Optional.empty();
        }
        Map<String, String> values = new HashMap<>(fields);
        values.put("apiKey", apiKey);
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Accept", "application/json");
        headers.put("User-Agent", "connections/1.0");
        test.headers().forEach((k, v) -> headers.put(k, fill(v, values)));
        ApiKeySpec.Auth auth = test.auth();
        switch (auth.type()) {
            case "bearer" -> headers.put("Authorization", "Bearer " + apiKey);
            case "basic" -> headers.put("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                    (fill(auth.username(), values) + ":" + fill(auth.password(), values)).getBytes(StandardCharsets.UTF_8)));
            case "header" -> headers.put(auth.name(), fill(auth.value(), values));
            default -> throw new IllegalStateException("unknown auth type " + auth.type());
        }
        ProviderResponse response;
        try {
            response = http.send(new ProviderRequest(test.method(), app.expand(test.url(), fields), headers,
                    "POST".equals(test.method()) ? "" : null, ProviderRequest.Redirects.FOLLOW_WITHOUT_CREDENTIALS));
        } catch (ProviderUnreachable e) {
            throw new ProviderUnreachable("could not reach " + app.name() + " to check the key; nothing was saved", e);
        }
        int status = response.status();
        if (status == 429 || status >= 500) {
            throw new ProviderUnreachable(app.name() + " is unavailable (HTTP " + status + "); nothing was saved", null);
        }
        if (status < 200 || status >= 300) {
            throw new CredentialRejected("credentials.apiKey",
                    app.name() + " did not accept the key" + (app.fields().isEmpty() ? "" : " and fields") + " (HTTP " + status + ")");
        }
        JsonNode body = parse(response.body());
        if (test.okPointer() != null && !body.at(test.okPointer()).asBoolean(false)) {
            throw new CredentialRejected("credentials.apiKey", app.name() + " did not accept the key");
        }
        return identity(test.identityPointers(), body, fields);
    }

    /** The identity: the values at the pointers, after the extra fields (the same id on another subdomain is another account). */
    private static Optional<String> identity(List<String> pointers, JsonNode body, Map<String, String> fields) {
        if (pointers.isEmpty()) {
            return Optional.empty();
        }
        List<String> parts = new ArrayList<>(new TreeMap<>(fields).values());
        for (String pointer : pointers) {
            JsonNode value = body.at(pointer);
            if (!value.isValueNode() || value.asText().isBlank()) {
                return Optional.empty();
            }
            parts.add(value.asText());
        }
        return Optional.of(String.join(":", parts));
    }

    private static JsonNode parse(String body) {
        try {
            JsonNode node = Json.MAPPER.readTree(body);
            return node == null ? Json.MAPPER.missingNode() : node;
        } catch (IOException e) {
            return Json.MAPPER.missingNode();
        }
    }

    private static String fill(String template, Map<String, String> values) {
        String out = template;
        for (var e : values.entrySet()) {
            out = out.replace("{" + e.getKey() + "}", e.getValue());
        }
        return out;
    }
}
