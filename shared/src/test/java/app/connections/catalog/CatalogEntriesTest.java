package app.connections.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import app.connections.platform.Json;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Checks every entry of the built-in catalog, and the provider facts the catalog was corrected for. */
class CatalogEntriesTest {
    private static final Pattern CLIENT_SECRET_KEY = Pattern.compile("(?i)^client[_-]?secret$");

    private final AppCatalog catalog = AppCatalog.load(Optional.empty());

    @Test
    void theCatalogCoversAtLeastSixtyAppsAgenciesConnect() {
        assertThat(catalog.all()).hasSizeGreaterThanOrEqualTo(60);
        assertThat(catalog.all()).extracting(App::key).contains("pipedrive", "klaviyo", "asana", "dropbox", "box",
                "xero", "intercom", "gitlab", "zoom", "atlassian", "gemini", "groq");
    }

    @Test
    void everyCatalogEntryUsesHttpsOnly() {
        for (App app : catalog.all()) {
            assertThat(urlsOf(app)).as(app.key()).allSatisfy(url -> assertThat(url).startsWith("https://"));
            assertThat(app.docs()).as(app.key() + " docs").startsWith("https://");
        }
    }

    @Test
    void everyExtraFieldIsAnchoredExplainedAndItsExampleValid() {
        for (App app : catalog.all()) {
            for (ExtraField f : app.fields()) {
                String where = app.key() + "." + f.name();
                assertThat(f.pattern()).as(where).startsWith("^").endsWith("$");
                assertThat(f.help()).as(where + " help").isNotBlank();
                assertThat(f.example()).as(where + " example").isNotBlank();
                assertThat(f.validate(f.example())).as(where).isEqualTo(f.example());
            }
            if (app.apiKey() != null && app.apiKey().pattern() != null) {
                assertThat(app.apiKey().pattern()).as(app.key() + " key pattern").startsWith("^").endsWith("$");
            }
        }
    }

    @Test
    void everyEntrySaysHowTheConnectedAccountIsKnown() {
        for (App app : catalog.all()) {
            if (app.oauth2() != null) {
                assertThat(app.oauth2().identity().pointers()).as(app.key() + " oauth2 identity").isNotEmpty();
                if ("field".equals(app.oauth2().identity().from())) {
                    app.oauth2().identity().pointers().forEach(name ->
                            assertThat(app.field(name)).as(app.key() + " identity field " + name).isPresent());
                }
            }
            if (app.apiKey() != null) {
                boolean reported = !app.apiKey().test().identityPointers().isEmpty();
                assertThat(reported || app.apiKey().identityNotes() != null)
                        .as(app.key() + ": an API key check names the account, or identityNotes says why the fingerprint is used")
                        .isTrue();
            }
        }
    }

    @Test
    void everyOAuthEntryDeclaresItsRevocationOrSaysWhyItHasNone() throws IOException {
        for (JsonNode entry : rawEntries()) {
            JsonNode oauth2 = entry.path("oauth2");
            if (oauth2.isMissingNode()) {
                continue;
            }
            String key = entry.path("key").asText();
            assertThat(oauth2.has("revocation")).as(key + " declares revocation explicitly").isTrue();
            if (oauth2.get("revocation").isNull()) {
                assertThat(oauth2.path("revocationNotes").asText("")).as(key + " revocationNotes").isNotBlank();
            } else {
                assertThat(oauth2.get("revocation").path("notes").asText("")).as(key + " revocation notes").isNotBlank();
            }
        }
    }

    @Test
    void theCatalogFileHoldsNoClientSecret() throws IOException {
        List<String> found = new ArrayList<>();
        collectSecrets(rawCatalog(), "$", found);
        assertThat(found).isEmpty();
    }

    @Test
    void aProviderThatSendsItsIssuerHasItsIssuerInTheCatalog() {
        for (App app : catalog.all()) {
            if (app.oauth2() != null && app.oauth2().sendsIssuer()) {
                assertThat(app.oauth2().issuer()).as(app.key()).isNotBlank().startsWith("https://");
            }
        }
    }

    @Test
    void everyAppIsShownInAKnownGroupAndModelProvidersUnderAi() {
        for (App app : catalog.all()) {
            assertThat(App.GROUPS).as(app.key()).contains(app.group());
            if (app.category().equals("model_provider")) {
                assertThat(app.group()).as(app.key()).isEqualTo("ai");
                assertThat(app.credentialKinds()).as(app.key()).containsExactly(CredentialKind.API_KEY);
            }
            if (app.description() != null) {
                assertThat(app.description()).as(app.key()).doesNotContain("\n").hasSizeLessThanOrEqualTo(160);
            }
        }
    }

    @Test
    void refreshTokenLifetimesArePositiveAndOnlyWhereThereIsARefreshToken() {
        for (App app : catalog.all()) {
            OAuth2Spec spec = app.oauth2();
            if (spec == null) {
                continue;
            }
            if (spec.refreshTokenIdleExpiryDays() != null || spec.refreshTokenMaxLifetimeDays() != null) {
                assertThat(spec.refreshable()).as(app.key() + " has refresh-token lifetimes, so it is refreshable").isTrue();
            }
            if (spec.defaultExpiresInSeconds() != null) {
                assertThat(spec.defaultExpiresInSeconds()).as(app.key()).isPositive();
            }
        }
    }

    @Test
    void everyTemplatedHostEndsInTheProvidersOwnDomain() {
        for (App app : catalog.all()) {
            for (String url : urlsOf(app)) {
                String host = url.replaceFirst("^https://", "").replaceFirst("[/?#].*$", "");
                int placeholder = host.lastIndexOf('}');
                if (placeholder >= 0) {
                    assertThat(host.substring(placeholder + 1)).as(app.key() + " " + url).matches("^(\\.[a-z0-9-]+){2,}$");
                }
            }
        }
    }

    @Test
    void aUserSuppliedHostNeedsAnAllowedSuffixAndIsHeldToIt(@TempDir Path dir) throws IOException {
        Path open = dir.resolve("open.json");
        Files.writeString(open, """
                {"apps": [{"key": "selfhosted", "name": "Self-hosted", "credentialKinds": ["OAUTH2"],
                  "fields": [{"name": "host", "label": "Host", "pattern": "^[a-z0-9.-]+$", "required": true}],
                  "oauth2": {"authorizationUrl": "https://{host}/oauth/authorize", "tokenUrl": "https://{host}/oauth/token",
                             "identity": {"from": "field", "pointers": ["host"]}}}]}
                """);
        assertThatThrownBy(() -> AppCatalog.load(Optional.of(open)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("fixed domain");

        Path bare = dir.resolve("bare.json");
        Files.writeString(bare, Files.readString(open).replace("https://{host}/oauth/authorize", "https://{host}.com/oauth/authorize"));
        assertThatThrownBy(() -> AppCatalog.load(Optional.of(bare)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("fixed domain");

        Path country = dir.resolve("country.json");
        Files.writeString(country, Files.readString(open).replace("https://{host}/oauth/authorize", "https://{host}.co.uk/oauth/authorize"));
        assertThatThrownBy(() -> AppCatalog.load(Optional.of(country)))
                .as("a country's public suffix is no fixed domain").isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("fixed domain");

        Path allowed = dir.resolve("allowed.json");
        Files.writeString(allowed, Files.readString(open).replace("\"identity\"", "\"allowedHostSuffix\": \"acme.example\", \"identity\""));
        App app = AppCatalog.load(Optional.of(allowed)).find("selfhosted").orElseThrow();
        assertThat(app.expand(app.oauth2().tokenUrl(), Map.of("host", "git.acme.example")).toString())
                .isEqualTo("https://git.acme.example/oauth/token");
        assertThatThrownBy(() -> app.expand(app.oauth2().tokenUrl(), Map.of("host", "evil.test")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void anIssuerFlagWithoutTheIssuerIsRefused() {
        assertThatThrownBy(() -> new OAuth2Spec("https://a.test/authorize", "https://a.test/token", null, null, null, true,
                null, null, null, null, false, false, null, null,
                new OAuth2Spec.Identity("token_response", List.of("/id"), null, null, null), null, true, null, null, null,
                null, "none", null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("sendsIssuer");
    }

    @Test
    void olderCatalogFilesWithoutTheNewFieldsStillLoad(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("old.json");
        Files.writeString(file, """
                {"apps": [{"key": "legacy-idp", "name": "Legacy IdP", "credentialKinds": ["OAUTH2"],
                  "oauth2": {"authorizationUrl": "https://idp.legacy.test/authorize", "tokenUrl": "https://idp.legacy.test/token",
                             "identity": {"from": "id_token", "pointers": ["sub"]}}}]}
                """);

        App app = AppCatalog.load(Optional.of(file)).find("legacy-idp").orElseThrow();

        assertThat(app.group()).isEqualTo("other");
        assertThat(app.oauth2().sendsIssuer()).isFalse();
        assertThat(app.oauth2().consentParams()).isEmpty();
        assertThat(app.oauth2().refreshTokenIdleExpiryDays()).isNull();
        assertThat(app.oauth2().allowedHostSuffix()).isNull();
    }

    // --- the corrected entries ---

    @Test
    void githubSendsItsIssuerAndHasNoWayToForceConsent() {
        OAuth2Spec github = catalog.find("github").orElseThrow().oauth2();

        assertThat(github.sendsIssuer()).isTrue();
        assertThat(github.issuer()).isEqualTo("https://github.com/login/oauth");
        assertThat(github.consentParams()).isEmpty();
        assertThat(github.defaultExpiresInSeconds()).isNull();
    }

    @Test
    void microsoftAsksForTheProfileScopeItNeedsBeforeTheIdTokenCarriesOid() {
        OAuth2Spec microsoft = catalog.find("microsoft365").orElseThrow().oauth2();

        assertThat(microsoft.identity().pointers()).contains("oid");
        assertThat(microsoft.scopes()).contains("openid", "profile", "offline_access");
        assertThat(microsoft.consentParams()).containsEntry("prompt", "consent");
        assertThat(microsoft.refreshTokenIdleExpiryDays()).isEqualTo(90);
    }

    @Test
    void salesforceRotatesRefreshTokensThatDieAfterThirtyIdleDays() {
        OAuth2Spec salesforce = catalog.find("salesforce").orElseThrow().oauth2();

        assertThat(salesforce.rotatesRefreshTokens()).isTrue();
        assertThat(salesforce.refreshTokenIdleExpiryDays()).isEqualTo(30);
        assertThat(salesforce.pkce()).isTrue();
    }

    @Test
    void zendeskAsksForExpiringTokensSoEveryClientGetsARefreshToken() {
        OAuth2Spec zendesk = catalog.find("zendesk").orElseThrow().oauth2();

        assertThat(zendesk.extraTokenParams()).containsEntry("expires_in", "1800");
        assertThat(zendesk.defaultExpiresInSeconds()).isEqualTo(1800L);
        assertThat(zendesk.revocation().notes()).contains("204");
    }

    @Test
    void tokensThatNeverExpireGetNoAssumedLifetime() {
        for (String key : List.of("github", "notion", "slack", "mailchimp", "attio", "intercom", "clickup")) {
            assertThat(catalog.find(key).orElseThrow().oauth2().defaultExpiresInSeconds()).as(key).isNull();
        }
    }

    @Test
    void googleUsesPkceAndNamesTheParameterThatForcesConsent() {
        OAuth2Spec google = catalog.find("google").orElseThrow().oauth2();

        assertThat(google.pkce()).isTrue();
        assertThat(google.consentParams()).containsEntry("prompt", "consent");
        assertThat(google.refreshTokenIdleExpiryDays()).isEqualTo(180);
    }

    @Test
    void xeroAsksForGranularScopesThatAppsCreatedSinceMarch2026Can() {
        OAuth2Spec xero = catalog.find("xero").orElseThrow().oauth2();

        assertThat(xero.scopes()).doesNotContain("accounting.transactions").contains("accounting.invoices", "offline_access");
        assertThat(xero.refreshTokenIdleExpiryDays()).isEqualTo(60);
        assertThat(xero.rotatesRefreshTokens()).isTrue();
    }

    @Test
    void closeNamesTheAccountInItsTokenResponse() {
        OAuth2Spec close = catalog.find("close").orElseThrow().oauth2();

        assertThat(close.identity().from()).isEqualTo("token_response");
        assertThat(close.identity().pointers()).containsExactly("/organization_id", "/user_id");
        assertThat(close.rotatesRefreshTokens()).isTrue();
    }

    @Test
    void constantContactRotatesRefreshTokensThatMustBeUsedWithin180Days() {
        OAuth2Spec constantContact = catalog.find("constant-contact").orElseThrow().oauth2();

        assertThat(constantContact.rotatesRefreshTokens()).isTrue();
        assertThat(constantContact.refreshTokenIdleExpiryDays()).isEqualTo(180);
        assertThat(constantContact.pkce()).isFalse();
    }

    // --- helpers ---

    private static List<String> urlsOf(App app) {
        List<String> urls = new ArrayList<>();
        if (app.oauth2() != null) {
            urls.add(app.oauth2().authorizationUrl());
            urls.add(app.oauth2().tokenUrl());
            Optional.ofNullable(app.oauth2().identity().url()).ifPresent(urls::add);
            Optional.ofNullable(app.oauth2().revocation()).map(OAuth2Spec.Revocation::url).ifPresent(urls::add);
        }
        if (app.apiKey() != null && app.apiKey().test() != null) {
            urls.add(app.apiKey().test().url());
        }
        return urls;
    }

    private static JsonNode rawCatalog() throws IOException {
        try (InputStream in = CatalogEntriesTest.class.getResourceAsStream("/catalog/apps.json")) {
            return Json.MAPPER.readTree(in);
        }
    }

    private static List<JsonNode> rawEntries() throws IOException {
        List<JsonNode> entries = new ArrayList<>();
        rawCatalog().path("apps").forEach(entries::add);
        assertThat(entries).isNotEmpty();
        return entries;
    }

    private static void collectSecrets(JsonNode node, String path, List<String> found) {
        if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                JsonNode value = e.getValue();
                if (CLIENT_SECRET_KEY.matcher(e.getKey()).matches() && !value.isNull() && !value.asText("").isEmpty()) {
                    found.add(path + "." + e.getKey());
                }
                collectSecrets(value, path + "." + e.getKey(), found);
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                collectSecrets(node.get(i), path + "[" + i + "]", found);
            }
        }
    }
}
