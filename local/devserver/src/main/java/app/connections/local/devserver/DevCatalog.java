package app.connections.local.devserver;

import app.connections.catalog.AppCatalog;
import app.connections.local.aws.LocalAws;
import app.connections.oauth.aws.SecretsManagerOAuthClients;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.secretsmanager.model.ResourceExistsException;

/**
 * The dev stack's custom catalog and OAuth client registrations. The catalog is the dev stand-ins
 * (the key-check stand-in's Freshdesk and OpenAI, the demo OAuth server) plus the apps of the
 * developer's own {@code CATALOG_FILE}, checked as the service checks it: a key already taken is
 * refused unless the entry says {@code "overrides": true}. Client registrations for custom apps are
 * kept in the git-ignored {@value #REGISTRATIONS} and put into Secrets Manager at every start, so
 * they survive a restart of {@code bin/local} (whose moto starts empty).
 */
final class DevCatalog {
    static final String REGISTRATIONS = ".local/oauth-apps.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    private DevCatalog() {
    }

    /**
     * The stand-in apps, then the developer's apps: a file for CATALOG_FILE. An entry of the developer's
     * with a stand-in's key replaces it only with {@code "overrides": true}.
     */
    static ObjectNode merge(List<JsonNode> standIns, Optional<Path> developers) throws IOException {
        Map<String, JsonNode> apps = new LinkedHashMap<>();
        standIns.forEach(app -> apps.put(app.path("key").asText(), app));
        if (developers.isPresent()) {
            JsonNode root = JSON.readTree(developers.get().toFile());
            if (root == null || !root.path("apps").isArray()) {
                throw new IllegalArgumentException(developers.get() + ": must be an object {\"apps\": [...]} (docs/catalog.schema.json)");
            }
            AppCatalog builtIn = AppCatalog.load(Optional.empty());
            for (JsonNode app : root.path("apps")) {
                String key = app.path("key").asText();
                JsonNode standIn = apps.get(key);
                if (standIn != null && !app.path("overrides").asBoolean(false)) {
                    throw new IllegalArgumentException(developers.get() + ": app " + key + " is one of the dev stack's stand-ins;"
                            + " choose another key, or say \"overrides\": true to replace it");
                }
                ObjectNode copy = ((ObjectNode) app).deepCopy();
                // "overrides" is for built-in keys; replacing a dev-only stand-in (demo) needs none in the service's catalog
                if (builtIn.find(key).isEmpty()) {
                    copy.remove("overrides");
                }
                apps.put(key, copy);
            }
        }
        ObjectNode out = JSON.createObjectNode();
        ArrayNode list = out.putArray("apps");
        apps.values().forEach(list::add);
        return out;
    }

    /**
     * Puts every registration of {@code file} ({@code {"<appKey>": {"clientId": …, "clientSecret": …}}})
     * where the service reads it; answers the app keys. A missing file registers nothing.
     */
    static List<String> register(Path file, LocalAws local, String secretNamePrefix) throws IOException {
        List<String> registered = new ArrayList<>();
        if (!Files.exists(file)) {
            return registered;
        }
        JsonNode root = JSON.readTree(file.toFile());
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException(file + ": must be an object {\"<appKey>\": {\"clientId\": …, \"clientSecret\": …}}");
        }
        var secrets = local.clients().secrets();
        for (var entry : (Iterable<Map.Entry<String, JsonNode>>) root::fields) {
            String app = entry.getKey();
            JsonNode client = entry.getValue();
            if (!client.path("clientId").isTextual() || !client.path("clientSecret").isTextual()) {
                throw new IllegalArgumentException(file + ": " + app + " needs clientId and clientSecret");
            }
            String value = JSON.writeValueAsString(Map.of("clientId", client.path("clientId").asText(),
                    "clientSecret", client.path("clientSecret").asText()));
            String name = SecretsManagerOAuthClients.secretName(secretNamePrefix, app);
            try {
                secrets.createSecret(b -> b.name(name).secretString(value));
            } catch (ResourceExistsException exists) {
                secrets.putSecretValue(b -> b.secretId(name).secretString(value));
            }
            registered.add(app);
        }
        return registered;
    }
}
