package app.connections.local.devserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import app.connections.catalog.AppCatalog;
import app.connections.local.aws.LocalAws;
import app.connections.local.aws.LocalAwsExtension;
import app.connections.local.aws.ProviderStandIn;
import app.connections.oauth.OAuthClient;
import app.connections.oauth.aws.SecretsManagerOAuthClients;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Adding an app to the dev stack: your CATALOG_FILE adds to the stand-ins (a stand-in is replaced
 * only on purpose), and the OAuth client registrations in .local/oauth-apps.json are put where the
 * service reads them at every start of bin/local.
 */
@ExtendWith(LocalAwsExtension.class)
class DevCatalogTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static List<JsonNode> standIns() throws Exception {
        List<JsonNode> apps = new ArrayList<>();
        try (ProviderStandIn provider = new ProviderStandIn()) {
            JSON.readTree(provider.catalog()).path("apps").forEach(apps::add);
        }
        apps.add(JSON.readTree("""
                {"key": "demo", "name": "Demo", "credentialKinds": ["OAUTH2"],
                 "oauth2": {"authorizationUrl": "http://127.0.0.1:1/authorize", "tokenUrl": "http://127.0.0.1:1/token",
                            "identity": {"from": "id_token", "pointers": ["sub"]}}}
                """));
        return apps;
    }

    @Test
    void yourCatalogAddsToTheStandInsAndTheBuiltInAppsAndReplacesAStandInOnlyOnPurpose(@TempDir Path dir) throws Exception {
        Path yours = dir.resolve("mine.json");
        Files.writeString(yours, """
                {"apps": [{"key": "acme-idp", "name": "Acme IdP", "credentialKinds": ["OAUTH2"],
                           "oauth2": {"issuer": "https://idp.acme.example", "discovery": "auto"}}]}
                """);

        Path merged = dir.resolve("dev-catalog.json");
        Files.writeString(merged, JSON.writeValueAsString(DevCatalog.merge(standIns(), Optional.of(yours))));
        AppCatalog catalog = AppCatalog.load(Optional.of(merged));

        assertThat(catalog.find("acme-idp")).as("yours").isPresent();
        assertThat(catalog.find("demo")).as("the demo OAuth server").isPresent();
        assertThat(catalog.find("freshdesk").orElseThrow().apiKey().test().url()).as("the key-check stand-in").startsWith("http://127.0.0.1:");
        assertThat(catalog.find("hubspot")).as("built in").isPresent();

        Files.writeString(yours, """
                {"apps": [{"key": "demo", "name": "My demo", "credentialKinds": ["OAUTH2"],
                           "oauth2": {"issuer": "https://idp.acme.example", "discovery": "auto"}}]}
                """);
        assertThatThrownBy(() -> DevCatalog.merge(standIns(), Optional.of(yours)))
                .hasMessageContaining("app demo is one of the dev stack's stand-ins; choose another key, or say \"overrides\": true");

        Files.writeString(yours, Files.readString(yours).replace("\"key\": \"demo\",", "\"key\": \"demo\", \"overrides\": true,"));
        Files.writeString(merged, JSON.writeValueAsString(DevCatalog.merge(standIns(), Optional.of(yours))));
        assertThat(AppCatalog.load(Optional.of(merged)).find("demo").orElseThrow().name()).isEqualTo("My demo");
    }

    @Test
    void oauthClientRegistrationsInTheLocalFileAreWhereTheServiceReadsThemAfterEveryStart(LocalAws local, @TempDir Path dir)
            throws Exception {
        String prefix = local.environmentOf("OAuthFunction").get("SECRET_NAME_PREFIX");
        String app = "acme-" + UUID.randomUUID().toString().substring(0, 8);
        Path file = dir.resolve("oauth-apps.json");
        assertThat(DevCatalog.register(file, local, prefix)).as("no file, nothing registered").isEmpty();

        Files.writeString(file, "{\"" + app + "\": {\"clientId\": \"acme-client\", \"clientSecret\": \"acme-secret-1\"}}");
        assertThat(DevCatalog.register(file, local, prefix)).containsExactly(app);
        Files.writeString(file, "{\"" + app + "\": {\"clientId\": \"acme-client\", \"clientSecret\": \"acme-secret-2\"}}");
        assertThat(DevCatalog.register(file, local, prefix)).as("the next start, the secret changed in the file").containsExactly(app);

        Optional<OAuthClient> client = new SecretsManagerOAuthClients(local.clients().secrets(), prefix, Clock.systemUTC()).find(app);
        assertThat(client).contains(new OAuthClient("acme-client", "acme-secret-2"));

        Files.writeString(file, "{\"" + app + "\": {\"clientId\": \"acme-client\"}}");
        assertThatThrownBy(() -> DevCatalog.register(file, local, prefix)).hasMessageContaining(app + " needs clientId and clientSecret");
    }
}
