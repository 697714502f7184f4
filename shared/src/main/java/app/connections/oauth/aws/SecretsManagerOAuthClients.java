package app.connections.oauth.aws;

import app.connections.oauth.OAuthClient;
import app.connections.oauth.OAuthClients;
import app.connections.platform.ExpiringCache;
import app.connections.platform.Json;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.ResourceNotFoundException;

/**
 * Our OAuth client registrations, one secret per app: {@code <prefix>/oauth-apps/<appKey>} holding
 * {@code {"clientId": "…", "clientSecret": "…"}}. A registration read is kept for
 * {@value #TTL_MINUTES} minutes, so a rotated client secret reaches every running function within
 * that time without a deploy (docs/security.md, rotation); an app without one is looked up again
 * on every use.
 */
public final class SecretsManagerOAuthClients implements OAuthClients {
    static final long TTL_MINUTES = 5;

    private final SecretsManagerClient secrets;
    private final String prefix;
    private final ExpiringCache<String, OAuthClient> cache;

    public SecretsManagerOAuthClients(SecretsManagerClient secrets, String secretNamePrefix, Clock clock) {
        this.secrets = secrets;
        this.prefix = secretNamePrefix + "/oauth-apps/";
        this.cache = new ExpiringCache<>(Duration.ofMinutes(TTL_MINUTES), 1_000, clock);
    }

    /** The secret name holding an app's client registration. */
    public static String secretName(String secretNamePrefix, String appKey) {
        return secretNamePrefix + "/oauth-apps/" + appKey;
    }

    @Override
    public Optional<OAuthClient> find(String appKey) {
        return cache.get(appKey).or(() -> {
            Optional<OAuthClient> loaded = load(appKey);
            loaded.ifPresent(c -> cache.put(appKey, c));
            return loaded;
        });
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
