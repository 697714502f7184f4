package app.connections.api;

import app.connections.platform.InvalidField;
import app.connections.platform.Json;
import app.connections.platform.PayloadTooLarge;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;

/**
 * An HTTP request as a route sees it, free of API Gateway types.
 *
 * @param routeKey {@code "<METHOD> <path template>"}, exactly as the template's HttpApi event declares it
 * @param headers header names in lower case
 * @param claims the JWT claims the authorizer verified (empty on unauthenticated routes)
 */
public record HttpRequest(String routeKey, Map<String, String> pathParameters, Map<String, String> query,
                          Map<String, String> headers, String body, Map<String, String> claims) {
    /** Bodies above this size are refused before parsing. */
    public static final int MAX_BODY_BYTES = 64 * 1024;

    public HttpRequest {
        pathParameters = pathParameters == null ? Map.of() : Map.copyOf(pathParameters);
        query = query == null ? Map.of() : Map.copyOf(query);
        headers = headers == null ? Map.of() : Map.copyOf(headers);
        claims = claims == null ? Map.of() : Map.copyOf(claims);
    }

    public String path(String name) {
        String value = pathParameters.get(name);
        if (value == null || value.isEmpty()) {
            throw new InvalidField(name, name + " is required in the path");
        }
        return value;
    }

    public Optional<String> query(String name) {
        return Optional.ofNullable(query.get(name)).filter(v -> !v.isEmpty());
    }

    /** The body as a JSON object; 400 naming "body" when it is missing or not a JSON object. */
    public JsonNode jsonBody() {
        if (body == null || body.isBlank()) {
            throw new InvalidField("body", "a JSON object body is required");
        }
        if (body.length() > MAX_BODY_BYTES || body.getBytes(StandardCharsets.UTF_8).length > MAX_BODY_BYTES) {
            throw new PayloadTooLarge(MAX_BODY_BYTES);
        }
        JsonNode node;
        try {
            node = Json.MAPPER.readTree(body);
        } catch (JsonProcessingException e) {
            throw new InvalidField("malformed_json", "body", "body is not valid JSON");
        }
        if (node == null || !node.isObject()) {
            throw new InvalidField("body", "body must be a JSON object");
        }
        return node;
    }

    /** A required string member of the JSON body. */
    public static String requiredText(JsonNode body, String field) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            throw new InvalidField(field, field + " is required");
        }
        if (!value.isTextual()) {
            throw new InvalidField(field, field + " must be a string");
        }
        return value.textValue();
    }

    /** An optional string member of the JSON body (null when absent or null). */
    public static String optionalText(JsonNode body, String field) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw new InvalidField(field, field + " must be a string");
        }
        return value.textValue();
    }

    /** An optional member of the JSON body that must be an object of strings. */
    public static Map<String, String> stringMap(JsonNode body, String field) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            return Map.of();
        }
        if (!value.isObject()) {
            throw new InvalidField(field, field + " must be an object of strings");
        }
        Map<String, String> out = new java.util.LinkedHashMap<>();
        value.fields().forEachRemaining(e -> {
            if (!e.getValue().isTextual()) {
                throw new InvalidField(field + "." + e.getKey(), field + "." + e.getKey() + " must be a string");
            }
            out.put(e.getKey(), e.getValue().textValue());
        });
        return out;
    }
}
