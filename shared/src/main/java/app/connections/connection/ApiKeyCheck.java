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

    /**
     * What a key check learnt of the account: its identity (the dedupe key; empty when the app names
     * no account) and how people tell it apart ({@link ExternalAccounts}).
     */
    public record Checked(Optional<String> identity, Optional<String> display) {
    }

    /** The identity the app reports for this key (empty when the catalog defines no test or no identity). */
    public Optional<String> verify(App app, String apiKey, Map<String, String> fields) {
        return check(app, apiKey, fields).identity();
    }

    /** Tries the key; the identity the app reports and its display value (the extra fields, then the reported values). */
    public Checked check(App app, String apiKey, Map<String, String> fields) {
        ApiKeySpec.KeyTest test = app.apiKey().test();
        if (test == null) {
            return new Checked(Optional.empty(), ExternalAccounts.display(app, fields, List.of()));
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
        List<String> reported = reported(test.identityPointers(), body);
        return new Checked(identity(reported, fields), ExternalAccounts.display(app, fields, reported));
    }

    /** The values at the identity pointers; empty when there are none or one is missing. */
    private static List<String> reported(List<String> pointers, JsonNode body) {
        List<String> values = new ArrayList<>();
        for (String pointer : pointers) {
            JsonNode value = body.at(pointer);
            if (!value.isValueNode() || value.asText().isBlank()) {
                return List.of();
            }
            values.add(value.asText());
        }
        return values;
    }

    /** The identity: the reported values after the extra fields (the same id on another subdomain is another account). */
    private static Optional<String> identity(List<String> reported, Map<String, String> fields) {
        if (reported.isEmpty()) {
            return Optional.empty();
        }
        List<String> parts = new ArrayList<>(new TreeMap<>(fields).values());
        parts.addAll(reported);
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
