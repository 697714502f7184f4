package app.connections.testing;

import app.connections.local.aws.LocalAws;
import app.connections.platform.Json;
import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/** The JSON Schemas in {@code events/schemas}, one per detail-type the service publishes. */
public final class EventSchemas {
    private static Map<String, JsonSchema> byDetailType;

    private EventSchemas() {
    }

    private static synchronized Map<String, JsonSchema> schemas() {
        if (byDetailType == null) {
            Map<String, JsonSchema> loaded = new HashMap<>();
            JsonSchemaFactory factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);
            Path dir = LocalAws.projectRoot().resolve("events/schemas");
            try (Stream<Path> files = Files.list(dir)) {
                for (Path file : files.filter(f -> f.toString().endsWith(".schema.json")).toList()) {
                    JsonNode node = Json.MAPPER.readTree(file.toFile());
                    try (InputStream in = Files.newInputStream(file)) {
                        loaded.put(node.path("title").asText(), factory.getSchema(in));
                    }
                }
            } catch (IOException e) {
                throw new IllegalStateException("cannot read " + dir, e);
            }
            byDetailType = loaded;
        }
        return byDetailType;
    }

    /** Fails unless the EventBridge envelope's detail matches the schema of its detail-type. */
    public static void assertValid(String envelope) {
        JsonNode event;
        try {
            event = Json.MAPPER.readTree(envelope);
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + envelope, e);
        }
        String type = event.path("detail-type").asText();
        JsonSchema schema = schemas().get(type);
        if (schema == null) {
            throw new AssertionError("no schema in events/schemas for detail-type '" + type + "'");
        }
        Set<ValidationMessage> errors = schema.validate(event.path("detail"));
        if (!errors.isEmpty()) {
            throw new AssertionError(type + " does not match its schema: " + errors + "\n" + event.path("detail"));
        }
    }

    /** Validates each envelope and returns them. */
    public static List<String> valid(List<String> envelopes) {
        envelopes.forEach(EventSchemas::assertValid);
        return envelopes;
    }

    /** The detail types a tap has read since it started, each event checked against its schema. */
    public static List<String> detailTypes(app.connections.local.aws.BusTap tap) throws Exception {
        List<String> types = new java.util.ArrayList<>();
        for (String event : valid(tap.drain())) {
            types.add(app.connections.platform.Json.MAPPER.readTree(event).path("detail-type").asText());
        }
        return types;
    }
}
