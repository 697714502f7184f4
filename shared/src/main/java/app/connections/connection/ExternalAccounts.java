package app.connections.connection;

import app.connections.catalog.App;
import app.connections.catalog.ExtraField;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The external account as people see it, so two accounts of one app can be told apart: the app's
 * extra fields in catalog order (a subdomain, a shop, a region), then the values the app reported
 * for the account (an account, portal or user id, a user name), joined with " · ". Built only from
 * what the connect already reads to name the account; never the credential, never the keyed
 * fingerprint that stands in for an identity when the app names none.
 */
public final class ExternalAccounts {
    static final int MAX_LENGTH = 200;

    private ExternalAccounts() {
    }

    /** The display value; empty when the app reported nothing and asks for no field. */
    public static Optional<String> display(App app, Map<String, String> fields, List<String> reported) {
        List<String> parts = new ArrayList<>();
        for (ExtraField field : app.fields()) {
            String value = fields.get(field.name());
            if (value != null && !value.isBlank()) {
                parts.add(value.strip());
            }
        }
        reported.stream().filter(v -> v != null && !v.isBlank()).map(String::strip).forEach(parts::add);
        if (parts.isEmpty()) {
            return Optional.empty();
        }
        String display = String.join(" · ", parts);
        return Optional.of(display.length() > MAX_LENGTH ? display.substring(0, MAX_LENGTH - 1) + "…" : display);
    }
}
