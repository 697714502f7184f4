package app.connections.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import app.connections.platform.InvalidField;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AppCatalogTest {
    private final AppCatalog catalog = AppCatalog.load(Optional.empty());

    @Test
    void theBuiltInCatalogHasTheAppsAgenciesConnectFirst() {
        assertThat(catalog.all()).extracting(App::key).contains("hubspot", "slack", "stripe", "freshdesk", "twilio",
                "zendesk", "shopify", "google", "salesforce", "microsoft365", "notion", "airtable", "github",
                "mailchimp", "openai", "anthropic", "mistral");
    }

    @Test
    void modelProvidersAreMarkedAsSuch() {
        assertThat(catalog.all()).filteredOn(app -> app.category().equals("model_provider"))
                .extracting(App::key).containsExactlyInAnyOrder("openai", "anthropic", "mistral", "gemini", "cohere", "groq",
                        "together", "deepseek", "xai", "openrouter");
    }

    @Test
    void freshdeskTakesAnApiKeyAndItsSubdomain() {
        App freshdesk = catalog.find("freshdesk").orElseThrow();

        assertThat(freshdesk.supports(CredentialKind.API_KEY)).isTrue();
        assertThat(freshdesk.supports(CredentialKind.OAUTH2)).isFalse();
        assertThat(freshdesk.field("subdomain").orElseThrow().validate("acme")).isEqualTo("acme");
        assertThat(UrlTemplate.expand(freshdesk.apiKey().test().url(), Map.of("subdomain", "acme")).toString())
                .isEqualTo("https://acme.freshdesk.com/api/v2/agents/me");
    }

    @ParameterizedTest
    @ValueSource(strings = {"evil.com#", "a.b", "x.freshdesk.com.evil.test", "%2e%2e", "АСМЕ", "acme\u200b",
            "-acme", "acme-", "ac me", "acme/..", "acme@evil", "", " "})
    void aSubdomainThatCouldLeaveFreshdeskIsRefusedNamingTheField(String value) {
        ExtraField subdomain = catalog.find("freshdesk").orElseThrow().field("subdomain").orElseThrow();

        assertThatThrownBy(() -> subdomain.validate(value))
                .isInstanceOf(InvalidField.class)
                .extracting(e -> ((InvalidField) e).field().orElseThrow()).isEqualTo("fields.subdomain");
    }

    @Test
    void everyTemplatedUrlStaysOnItsProvidersHost() {
        assertThatThrownBy(() -> UrlTemplate.expand("https://{subdomain}.freshdesk.com/x", Map.of("subdomain", "a/b")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> UrlTemplate.expand("https://{subdomain}.freshdesk.com/x", Map.of("subdomain", "evil.com#")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(UrlTemplate.expand("https://login.microsoftonline.com/{tenant}/oauth2/v2.0/token",
                Map.of("tenant", "contoso.onmicrosoft.com")).getHost()).isEqualTo("login.microsoftonline.com");
    }

    @Test
    void aCustomCatalogFileAddsAnyStandardOAuthServer(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("custom.json");
        Files.writeString(file, """
                {"apps": [{"key": "acme-idp", "name": "Acme IdP", "credentialKinds": ["OAUTH2"],
                  "oauth2": {"authorizationUrl": "https://idp.acme.test/authorize", "tokenUrl": "https://idp.acme.test/token",
                             "scopes": ["openid"], "pkce": true, "identity": {"from": "id_token", "pointers": ["sub"]}}}]}
                """);

        AppCatalog withCustom = AppCatalog.load(Optional.of(file));

        assertThat(withCustom.find("acme-idp")).isPresent();
        assertThat(withCustom.find("hubspot")).isPresent();
    }

    @Test
    void aCatalogEntryThatSmugglesAnUndeclaredPlaceholderIsRefusedAtStartUp(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("bad.json");
        Files.writeString(file, """
                {"apps": [{"key": "bad", "name": "Bad", "credentialKinds": ["API_KEY"],
                  "apiKey": {"test": {"url": "https://{host}/me", "auth": {"type": "bearer"}}}}]}
                """);

        assertThatThrownBy(() -> AppCatalog.load(Optional.of(file)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("undeclared placeholder {host}");
    }

    @Test
    void aFieldPatternMustBeAnchored() {
        assertThatThrownBy(() -> new ExtraField("subdomain", "Subdomain", "[a-z]+", true, null, null))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void plainHttpIsOnlyForLoopbackProviders() throws URISyntaxException {
        assertThatThrownBy(() -> UrlTemplate.check("http://example.com/token", java.util.Set.of(), "t"))
                .isInstanceOf(IllegalArgumentException.class);
        UrlTemplate.check("http://127.0.0.1:8080/token", java.util.Set.of(), "t");
    }
}
