package app.connections.connection.http;

import app.connections.catalog.App;
import app.connections.catalog.CredentialKind;
import app.connections.catalog.ExtraField;
import java.util.List;
import java.util.Map;

/**
 * An app as the pages present it and the connect dialog needs it: its name, group (with the group's
 * display name), the ways to connect it (with names, and whether the builder connects them), the
 * extra fields with labels, help, examples, patterns and the kinds that need each, and the API
 * key's label and pattern. No endpoint secrets exist to leak.
 */
public record AppView(String key, String name, String category, String group, String groupName, String description,
                      List<CredentialKind> credentialKinds, List<Kind> kinds, List<Field> fields, List<String> scopes,
                      String apiKeyLabel, String apiKeyPattern, String docs) {
    /** The display names of the catalog's groups. */
    static final Map<String, String> GROUP_NAMES = Map.ofEntries(Map.entry("crm", "CRM"), Map.entry("marketing", "Marketing"),
            Map.entry("ecommerce", "E-commerce"), Map.entry("support", "Support"), Map.entry("accounting", "Accounting"),
            Map.entry("payments", "Payments"), Map.entry("productivity", "Productivity"), Map.entry("files", "Files"),
            Map.entry("communication", "Communication"), Map.entry("developer", "Developer tools"), Map.entry("ai", "AI models"),
            Map.entry("other", "Other"));

    private static final Map<CredentialKind, String> KIND_NAMES = Map.of(CredentialKind.OAUTH2, "OAuth 2.0",
            CredentialKind.API_KEY, "API key", CredentialKind.BASIC, "User name and password",
            CredentialKind.DSN, "Connection string", CredentialKind.CUSTOM, "Custom");

    /** A way to connect the app: its name, and whether the builder (and the connect dialog) creates it. */
    public record Kind(CredentialKind kind, String name, boolean connectable) {
    }

    /** An extra field: as the catalog declares it, and the kinds of connection that need it ({@code requiredFor}). */
    public record Field(String name, String label, String pattern, boolean required, String example, String help,
                        List<CredentialKind> requiredFor) {
    }

    public static AppView of(App app) {
        List<Kind> kinds = app.credentialKinds().stream().map(kind -> new Kind(kind, KIND_NAMES.get(kind),
                kind == CredentialKind.OAUTH2 || kind == CredentialKind.API_KEY)).toList();
        List<Field> fields = app.fields().stream().map(f -> field(app, f)).toList();
        return new AppView(app.key(), app.name(), app.category(), app.group(), GROUP_NAMES.getOrDefault(app.group(), app.group()),
                app.description(), app.credentialKinds(), kinds, fields, app.oauth2() == null ? List.of() : app.oauth2().scopes(),
                app.apiKey() == null ? null : app.apiKey().label(), app.apiKey() == null ? null : app.apiKey().pattern(), app.docs());
    }

    private static Field field(App app, ExtraField f) {
        return new Field(f.name(), f.label(), f.pattern(), f.required(), f.example(), f.help(), app.kindsRequiring(f));
    }
}
