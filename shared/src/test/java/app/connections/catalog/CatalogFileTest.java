package app.connections.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import app.connections.local.aws.LocalAws;
import app.connections.platform.Json;
import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The catalog file format, as someone adding an app meets it: a custom file adds to the built-in
 * catalog, a mistake is reported naming the entry and the field, a built-in app is replaced only
 * on purpose, and the published JSON Schema (docs/catalog.schema.json) describes every built-in entry.
 */
class CatalogFileTest {
    @TempDir
    Path dir;

    private Path custom(String apps) throws Exception {
        Path file = dir.resolve("custom-" + System.nanoTime() + ".json");
        Files.writeString(file, "{\"apps\": [" + apps + "]}");
        return file;
    }

    private static final String ACME = """
            {"key": "acme-crm", "name": "Acme CRM", "credentialKinds": ["OAUTH2"],
             "oauth2": {"authorizationUrl": "https://login.acme.example/authorize", "tokenUrl": "https://login.acme.example/token",
                        "identity": {"from": "id_token", "pointers": ["sub"]}}}
            """;

    @Test
    void aCustomFileAddsItsAppsToEveryBuiltInOne() throws Exception {
        AppCatalog builtIn = AppCatalog.load(Optional.empty());

        AppCatalog both = AppCatalog.load(Optional.of(custom(ACME)));

        assertThat(both.all()).hasSize(builtIn.all().size() + 1);
        assertThat(both.find("acme-crm")).isPresent();
        assertThat(both.find("hubspot")).isEqualTo(builtIn.find("hubspot"));
    }

    @Test
    void aDeploymentsPackagedCatalogAddsItsAppsAndACatalogFileAddsMore() throws Exception {
        AppCatalog deployed = AppCatalog.load(Optional.of(custom(ACME)), "/catalog/packaged-for-test.json");

        assertThat(deployed.find("packaged-idp")).as("packaged with the functions").isPresent();
        assertThat(deployed.find("acme-crm")).as("CATALOG_FILE").isPresent();
        assertThat(deployed.find("hubspot")).isPresent();
        assertThat(AppCatalog.load(Optional.empty()).find("packaged-idp")).as("this repository packages none").isEmpty();

        Path again = custom(ACME.replace("acme-crm", "packaged-idp"));
        assertThatThrownBy(() -> AppCatalog.load(Optional.of(again), "/catalog/packaged-for-test.json"))
                .as("one key, one app: a file does not silently replace a packaged app")
                .hasMessageContaining("apps[0] (packaged-idp): key: packaged-idp is an app of the packaged custom catalog already");
    }

    @Test
    void anEntryWithoutItsTokenUrlIsReportedByEntryAndFieldNotAsAJacksonConstructorProblem() throws Exception {
        Path file = custom(ACME + ", " + """
                {"key": "broken", "name": "Broken", "credentialKinds": ["OAUTH2"],
                 "oauth2": {"authorizationUrl": "https://login.broken.example/authorize",
                            "identity": {"from": "id_token", "pointers": ["sub"]}}}
                """);

        assertThatThrownBy(() -> AppCatalog.load(Optional.of(file))).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("custom catalog " + file + ": apps[1] (broken): oauth2: oauth2.tokenUrl is required")
                .hasMessageNotContaining("Cannot construct instance").hasMessageNotContaining("app.connections");
    }

    @Test
    void anUnknownFieldOrAWrongTypeIsNamedWithItsPath() throws Exception {
        Path misspelt = custom("""
                {"key": "typo", "name": "Typo", "credentialKinds": ["OAUTH2"],
                 "oauth2": {"authorizationUrl": "https://a.example.com/authorize", "tokenURL": "https://a.example.com/token",
                            "identity": {"from": "id_token", "pointers": ["sub"]}}}
                """);
        assertThatThrownBy(() -> AppCatalog.load(Optional.of(misspelt)))
                .hasMessageContaining("apps[0] (typo): oauth2.tokenURL: unknown field tokenURL");

        Path wrongType = custom("""
                {"key": "typed", "name": "Typed", "credentialKinds": ["API_KEY"],
                 "fields": [{"name": "subdomain", "label": "Subdomain", "pattern": "^[a-z]+$", "required": "yes"}],
                 "apiKey": {"test": {"url": "https://{subdomain}.typed.example.com/me", "auth": {"type": "bearer"}}}}
                """);
        assertThatThrownBy(() -> AppCatalog.load(Optional.of(wrongType)))
                .hasMessageContaining("apps[0] (typed): fields[0].required: ");

        Path badKind = custom("""
                {"key": "kind", "name": "Kind", "credentialKinds": ["PASSWORD"]}
                """);
        assertThatThrownBy(() -> AppCatalog.load(Optional.of(badKind)))
                .hasMessageContaining("apps[0] (kind): credentialKinds[0]: the value PASSWORD is not a valid CredentialKind");
    }

    @Test
    void aBuiltInAppIsReplacedOnlyOnPurpose() throws Exception {
        String hubspot = """
                {"key": "hubspot", %s"name": "HubSpot (our proxy)", "credentialKinds": ["OAUTH2"],
                 "oauth2": {"authorizationUrl": "https://app.hubspot.com/oauth/authorize", "tokenUrl": "https://proxy.acme.example/token",
                            "identity": {"from": "token_response", "pointers": ["/hub_id"]}}}
                """;
        Path accidental = custom(hubspot.formatted(""));
        assertThatThrownBy(() -> AppCatalog.load(Optional.of(accidental)))
                .hasMessageContaining("apps[0] (hubspot): key: hubspot is a built-in app; choose another key, or say \"overrides\": true");

        AppCatalog replaced = AppCatalog.load(Optional.of(custom(hubspot.formatted("\"overrides\": true, "))));
        assertThat(replaced.find("hubspot").orElseThrow().oauth2().tokenUrl()).isEqualTo("https://proxy.acme.example/token");

        Path nothingToOverride = custom(ACME.replace("\"key\": \"acme-crm\",", "\"key\": \"acme-crm\", \"overrides\": true,"));
        assertThatThrownBy(() -> AppCatalog.load(Optional.of(nothingToOverride)))
                .hasMessageContaining("apps[0] (acme-crm): overrides: there is no built-in app acme-crm to override");

        Path twice = custom(ACME + ", " + ACME);
        assertThatThrownBy(() -> AppCatalog.load(Optional.of(twice)))
                .hasMessageContaining("apps[1] (acme-crm): key: acme-crm is used by another entry of this file");
    }

    @Test
    void aFileThatIsNotACatalogSaysWhatACatalogIs() throws Exception {
        Path file = dir.resolve("list.json");
        Files.writeString(file, "[]");
        assertThatThrownBy(() -> AppCatalog.load(Optional.of(file))).hasMessageContaining("must be an object {\"apps\": [...]}");
    }

    private static JsonSchema schema() throws Exception {
        try (InputStream in = Files.newInputStream(LocalAws.projectRoot().resolve("docs/catalog.schema.json"))) {
            return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(in);
        }
    }

    @Test
    void everyBuiltInEntryMatchesThePublishedSchema() throws Exception {
        JsonSchema schema = schema();
        JsonNode builtIn;
        try (InputStream in = AppCatalog.class.getResourceAsStream("/catalog/apps.json")) {
            builtIn = Json.MAPPER.readTree(in);
        }
        assertThat(schema.validate(builtIn)).as("the built-in catalog against docs/catalog.schema.json").isEmpty();
        assertThat(builtIn.path("apps").size()).isGreaterThanOrEqualTo(60);
    }

    @Test
    void theSchemaRefusesWhatTheLoaderRefuses() throws Exception {
        JsonSchema schema = schema();
        for (String bad : new String[] {
                // no token URL and no discovery
                "{\"key\": \"a-1\", \"name\": \"A\", \"credentialKinds\": [\"OAUTH2\"], \"oauth2\": {\"authorizationUrl\": \"https://a.example.com/x\","
                        + " \"identity\": {\"from\": \"id_token\"}}}",
                // discovery with an endpoint of its own
                "{\"key\": \"a-2\", \"name\": \"A\", \"credentialKinds\": [\"OAUTH2\"], \"oauth2\": {\"issuer\": \"https://a.example.com\","
                        + " \"discovery\": \"auto\", \"tokenUrl\": \"https://a.example.com/token\"}}",
                // an unanchored field pattern
                "{\"key\": \"a-3\", \"name\": \"A\", \"credentialKinds\": [\"API_KEY\"], \"fields\": [{\"name\": \"x\", \"label\": \"X\","
                        + " \"pattern\": \"[a-z]+\"}], \"apiKey\": {}}",
                // plain http to a public host
                "{\"key\": \"a-4\", \"name\": \"A\", \"credentialKinds\": [\"API_KEY\"], \"apiKey\": {\"test\": {\"url\": \"http://a.example.com/me\","
                        + " \"auth\": {\"type\": \"bearer\"}}}}"}) {
            Set<ValidationMessage> errors = schema.validate(Json.MAPPER.readTree("{\"apps\": [" + bad + "]}"));
            assertThat(errors).as(bad).isNotEmpty();
            Path file = custom(bad);
            assertThatThrownBy(() -> AppCatalog.load(Optional.of(file))).as(bad).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("apps[0] (a-");
        }
        Path discovered = custom("{\"key\": \"idp\", \"name\": \"IdP\", \"credentialKinds\": [\"OAUTH2\"],"
                + " \"oauth2\": {\"issuer\": \"https://idp.example.com\", \"discovery\": \"auto\"}}");
        assertThat(schema.validate(Json.MAPPER.readTree(Files.readString(discovered)))).isEmpty();
        assertThat(AppCatalog.load(Optional.of(discovered)).find("idp")).isPresent();
    }
}
