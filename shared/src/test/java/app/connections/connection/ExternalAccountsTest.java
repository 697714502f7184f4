package app.connections.connection;

import static org.assertj.core.api.Assertions.assertThat;

import app.connections.catalog.App;
import app.connections.catalog.ApiKeySpec;
import app.connections.catalog.CredentialKind;
import app.connections.catalog.ExtraField;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ExternalAccountsTest {
    private static final ExtraField SUBDOMAIN = new ExtraField("subdomain", "Subdomain", "^[a-z0-9-]+$", true, "acme", null);
    private static final ExtraField REGION = new ExtraField("region", "Region", "^[a-z]{2}$", false, null, null);

    private static App app(List<ExtraField> fields) {
        return new App("keyed", "Keyed", "app", List.of(CredentialKind.API_KEY), fields,
                null, new ApiKeySpec("API key", null, null, "names no account"), null, null, null);
    }

    @Test
    void theFieldsInCatalogOrderThenWhatTheAppReported() {
        assertThat(ExternalAccounts.display(app(List.of(SUBDOMAIN, REGION)), Map.of("region", "eu", "subdomain", "acme"),
                List.of("5001"))).contains("acme · eu · 5001");
    }

    @Test
    void nothingWhenTheAppNamesNoAccountAndAsksForNoField() {
        assertThat(ExternalAccounts.display(app(List.of()), Map.of(), List.of())).isEmpty();
        assertThat(ExternalAccounts.display(app(List.of(SUBDOMAIN)), Map.of(), List.of(" "))).isEmpty();
    }

    @Test
    void aLongValueIsCut() {
        assertThat(ExternalAccounts.display(app(List.of()), Map.of(), List.of("x".repeat(500))).orElseThrow())
                .hasSize(ExternalAccounts.MAX_LENGTH).endsWith("…");
    }
}
