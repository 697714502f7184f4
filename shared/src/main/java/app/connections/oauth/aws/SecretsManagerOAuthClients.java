package app.connections.oauth.aws;

import app.connections.oauth.OAuthClient;
import app.connections.oauth.OAuthClients;
import app.connections.platform.Json;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.ResourceNotFoundException;

/**
 * Our OAuth client registrations, one secret per app: {@code <prefix>/oauth-apps/<appKey>} holding
 * {@code {"clientId": "…", "clientSecret": "…"}}. Read once per execution environment.
 */
public final class SecretsManagerOAuthClients implements OAuthClients {
    private final SecretsManagerClient secrets;
    private final String prefix;
    private final ConcurrentHashMap<String, Optional<OAuthClient>> cache = new ConcurrentHashMap<>();

    public SecretsManagerOAuthClients(SecretsManagerClient secrets, String secretNamePrefix) {
        this.secrets = secrets;
        this.prefix = secretNamePrefix + "/oauth-apps/";
    }

    /** The secret name holding an app's client registration. */
    public static String secretName(String secretNamePrefix, String appKey) {
        return secretNamePrefix + "/oauth-apps/" + appKey;
    }

    @Override
    public Optional<OAuthClient> find(String appKey) {
        Optional<OAuthClient> cached = cache.get(appKey);
        if (cached != null && cached.isPresent()) {
            return cached;
        }
        Optional<OAuthClient> loaded = load(appKey);
        cache.put(appKey, loaded);
        return loaded;
    }

    private Optional<OAuthClient> load(String appKey) {
        String value;
        try {
            value = secrets.getSecretValue(b -> b.secretId(prefix + appKey)).secretString();
        } catch (ResourceNotFoundException e) {
            return Optional.empty();
        }
        try {
            JsonNode json = Json.MAPPER.readTree(value);
            String id = json.path("clientId").asText("");
            String secret = json.path("clientSecret").asText("");
            return id.isEmpty() || secret.isEmpty() ? Optional.empty() : Optional.of(new OAuthClient(id, secret));
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
