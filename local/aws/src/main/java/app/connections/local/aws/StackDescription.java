package app.connections.local.aws;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The running local stack, as written to {@code .local/stack.json}: where the emulator listens,
 * and what each template resource became. Convenience fields name the common ones (the first of
 * each type in template order: the connection-secrets key alias before the fingerprint one).
 *
 * @param resources logical id to its type, {@code Ref} value and {@code GetAtt} attributes
 * @param apiBaseUrl the dev server's base URL, once it runs (null otherwise)
 * @param oauthClientSecretPrefix where our OAuth client registrations go in Secrets Manager, one
 *        secret per app: this prefix and the app's key (set by the dev server; null otherwise)
 */
public record StackDescription(String endpoint, String region, String accessKeyId, String secretAccessKey,
                               String stackName, String templateSha256, String table, String eventBus,
                               String kmsKeyAlias, Map<String, UserPool> userPools, String apiBaseUrl,
                               Map<String, Resource> resources, String oauthClientSecretPrefix) {

    private static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    public record Resource(String type, String ref, Map<String, String> attributes) {
    }

    /** A user pool and its app client, keyed in {@link #userPools()} by the pool's logical id. */
    public record UserPool(String userPoolId, String clientId, String issuer, String jwksUrl) {
    }

    static StackDescription of(String endpoint, String region, String stackName, Template template,
                               StackBootstrap.Created created) {
        Map<String, Resource> resources = new LinkedHashMap<>();
        created.types().forEach((id, type) -> resources.put(id,
                new Resource(type, created.refs().get(id), created.attributes().get(id))));
        String table = null;
        String bus = null;
        String alias = null;
        Map<String, UserPool> pools = new LinkedHashMap<>();
        for (var e : resources.entrySet()) {
            Resource r = e.getValue();
            switch (r.type()) {
                case "AWS::DynamoDB::Table" -> table = table == null ? r.ref() : table;
                case "AWS::Events::EventBus" -> bus = bus == null ? r.ref() : bus;
                case "AWS::KMS::Alias" -> alias = alias == null ? r.ref() : alias;
                case "AWS::Cognito::UserPoolClient" -> {
                    String poolId = String.valueOf(Template.asMap(template.resources().get(e.getKey()).properties()
                            .get("UserPoolId")).get("Ref"));
                    String id = resources.get(poolId).ref();
                    pools.put(poolId, new UserPool(id, r.ref(),
                            "https://cognito-idp." + region + ".amazonaws.com/" + id,
                            endpoint + "/" + id + "/.well-known/jwks.json"));
                }
                default -> {
                }
            }
        }
        return new StackDescription(endpoint, region, "test", "test", stackName, template.sha256(), table, bus, alias,
                pools, null, resources, null);
    }

    public StackDescription withApiBaseUrl(String url) {
        return new StackDescription(endpoint, region, accessKeyId, secretAccessKey, stackName, templateSha256, table,
                eventBus, kmsKeyAlias, userPools, url, resources, oauthClientSecretPrefix);
    }

    public StackDescription withOAuthClientSecretPrefix(String prefix) {
        return new StackDescription(endpoint, region, accessKeyId, secretAccessKey, stackName, templateSha256, table,
                eventBus, kmsKeyAlias, userPools, apiBaseUrl, resources, prefix);
    }

    /** Resolves intrinsics in template values against this stack. */
    public Intrinsics intrinsics(Template template) {
        Map<String, String> refs = new LinkedHashMap<>(template.parameterDefaults());
        refs.put("AWS::Region", region);
        refs.put("AWS::AccountId", StackBootstrap.ACCOUNT_ID);
        refs.put("AWS::StackName", stackName);
        refs.put("AWS::Partition", "aws");
        refs.put("AWS::URLSuffix", "amazonaws.com");
        Map<String, Map<String, String>> attributes = new LinkedHashMap<>();
        resources.forEach((id, r) -> {
            refs.put(id, r.ref());
            attributes.put(id, r.attributes() == null ? Map.of() : r.attributes());
        });
        return new Intrinsics(refs, attributes).withConditions(template.conditions());
    }

    /** A function's environment variables as the template defines them, resolved against this stack. */
    public Map<String, String> environmentOf(Template template, Template.Function function) {
        Intrinsics intrinsics = intrinsics(template);
        Map<String, String> env = new LinkedHashMap<>();
        function.environment().forEach((k, v) -> env.put(k, intrinsics.string(v)));
        return env;
    }

    public LocalClients clients() {
        return new LocalClients(endpoint, region, accessKeyId, secretAccessKey);
    }

    public void write(Path file) {
        try {
            Files.createDirectories(file.getParent());
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            MAPPER.writeValue(tmp.toFile(), this);
            Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write " + file, e);
        }
    }

    public static StackDescription read(Path file) {
        try {
            return MAPPER.readValue(file.toFile(), StackDescription.class);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + file, e);
        }
    }
}
