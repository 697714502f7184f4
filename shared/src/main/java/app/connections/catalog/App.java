package app.connections.catalog;

import app.connections.platform.InvalidField;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * An app of the catalog: everything the service knows about authenticating to it, as data.
 *
 * @param category {@code app}, or {@code model_provider} for LLM providers shared through grants
 * @param group the display group of the pages ({@link #GROUPS}); {@code ai} for model providers
 *        and {@code other} when not given
 * @param description an optional one-line description for the connect dialog
 */
public record App(String key, String name, String category, List<CredentialKind> credentialKinds,
                  List<ExtraField> fields, OAuth2Spec oauth2, ApiKeySpec apiKey, String docs, String group,
                  String description) {
    private static final Pattern KEY = Pattern.compile("^[a-z][a-z0-9_-]{1,39}$");
    private static final int MAX_DESCRIPTION_LENGTH = 160;

    /** The display groups of the pages. */
    public static final List<String> GROUPS = List.of("crm", "marketing", "ecommerce", "support", "accounting", "payments",
            "productivity", "files", "communication", "developer", "ai", "other");

    public App {
        Objects.requireNonNull(key, "key");
        if (!KEY.matcher(key).matches()) {
            throw new IllegalArgumentException("app key " + key + " must match " + KEY.pattern());
        }
        Objects.requireNonNull(name, "name of " + key);
        category = category == null ? "app" : category;
        if (!List.of("app", "model_provider").contains(category)) {
            throw new IllegalArgumentException(key + ": category must be app or model_provider");
        }
        group = group == null ? ("model_provider".equals(category) ? "ai" : "other") : group;
        if (!GROUPS.contains(group)) {
            throw new IllegalArgumentException(key + ": group must be one of " + GROUPS);
        }
        if (description != null && (description.isBlank() || description.length() > MAX_DESCRIPTION_LENGTH
                || description.contains("\n"))) {
            throw new IllegalArgumentException(key + ": description must be one line of at most "
                    + MAX_DESCRIPTION_LENGTH + " characters");
        }
        credentialKinds = List.copyOf(Objects.requireNonNull(credentialKinds, "credentialKinds of " + key));
        if (credentialKinds.isEmpty()) {
            throw new IllegalArgumentException(key + " has no credential kind");
        }
        fields = fields == null ? List.of() : List.copyOf(fields);
        if ((oauth2 != null) != credentialKinds.contains(CredentialKind.OAUTH2)) {
            throw new IllegalArgumentException(key + ": oauth2 settings go with the OAUTH2 kind, and only with it");
        }
        boolean keyed = credentialKinds.contains(CredentialKind.API_KEY) || credentialKinds.contains(CredentialKind.BASIC);
        if ((apiKey != null) != keyed) {
            throw new IllegalArgumentException(key + ": apiKey settings go with the API_KEY or BASIC kind, and only with it");
        }
        Set<String> names = new HashSet<>();
        for (ExtraField f : fields) {
            if (!names.add(f.name())) {
                throw new IllegalArgumentException(key + " declares field " + f.name() + " twice");
            }
        }
        String hostSuffix = oauth2 == null ? null : oauth2.allowedHostSuffix();
        if (oauth2 != null && oauth2.discovered()) {
            // one issuer per app: its metadata is fetched once and cached, so no placeholder in it
            UrlTemplate.check(oauth2.issuer(), Set.of(), hostSuffix, key + " oauth2.issuer");
            if (oauth2.issuer().contains("?") || oauth2.issuer().contains("#")) {
                throw new IllegalArgumentException(key + " oauth2.issuer must have no query or fragment (RFC 8414 §2)");
            }
        }
        if (oauth2 != null && !oauth2.discovered()) {
            UrlTemplate.check(oauth2.authorizationUrl(), names, hostSuffix, key + " oauth2.authorizationUrl");
            UrlTemplate.check(oauth2.tokenUrl(), names, hostSuffix, key + " oauth2.tokenUrl");
        }
        if (oauth2 != null) {
            if (oauth2.identity().url() != null) {
                UrlTemplate.check(oauth2.identity().url(), names, hostSuffix, key + " oauth2.identity.url");
            }
            if (oauth2.revocation() != null) {
                UrlTemplate.check(oauth2.revocation().url(), names, hostSuffix, key + " oauth2.revocation.url");
            }
        }
        if (apiKey != null && apiKey.test() != null) {
            UrlTemplate.check(apiKey.test().url(), names, hostSuffix, key + " apiKey.test.url");
        }
    }

    /** One of this app's URL templates filled with validated field values, kept to the app's allowed hosts. */
    public java.net.URI expand(String template, Map<String, String> fieldValues) {
        return UrlTemplate.expand(template, fieldValues, oauth2 == null ? null : oauth2.allowedHostSuffix());
    }

    /** This app with another OAuth 2.0 spec (its endpoints resolved from its issuer's metadata), checked again. */
    public App withOAuth2(OAuth2Spec resolved) {
        return new App(key, name, category, credentialKinds, fields, resolved, apiKey, docs, group, description);
    }

    public boolean supports(CredentialKind kind) {
        return credentialKinds.contains(kind);
    }

    /**
     * Validates the extra fields a client sent for connecting with {@code kind}: known names only,
     * each against its pattern; present when declared required or when the kind's URLs use it.
     */
    public Map<String, String> validateFields(Map<String, String> given, CredentialKind kind) {
        for (String name : given.keySet()) {
            if (field(name).isEmpty()) {
                throw new InvalidField("fields." + name, this.name + " has no field " + name);
            }
        }
        Set<String> used = usedBy(kind);
        Map<String, String> fields = new HashMap<>();
        for (ExtraField f : this.fields) {
            String value = given.get(f.name());
            if (value != null || f.required() || used.contains(f.name())) {
                fields.put(f.name(), f.validate(value));
            }
        }
        return fields;
    }

    /** The kinds of this app for which {@code field} must be given: declared required, or used by the kind's URLs. */
    public List<CredentialKind> kindsRequiring(ExtraField field) {
        return credentialKinds.stream().filter(kind -> field.required() || usedBy(kind).contains(field.name())).toList();
    }

    /** The extra fields the URLs and identity of connecting with {@code kind} use. */
    private Set<String> usedBy(CredentialKind kind) {
        Set<String> used = new HashSet<>();
        if (kind == CredentialKind.OAUTH2 && oauth2 != null) {
            for (String url : new String[] {oauth2.authorizationUrl(), oauth2.tokenUrl(), oauth2.identity().url(),
                    oauth2.revocation() == null ? null : oauth2.revocation().url()}) {
                if (url != null) {
                    used.addAll(UrlTemplate.placeholders(url));
                }
            }
            if ("field".equals(oauth2.identity().from())) {
                used.addAll(oauth2.identity().pointers());
            }
        } else if (apiKey != null && apiKey.test() != null) {
            used.addAll(UrlTemplate.placeholders(apiKey.test().url()));
            var auth = apiKey.test().auth();
            for (String template : new String[] {auth.username(), auth.password(), auth.value()}) {
                if (template != null) {
                    used.addAll(UrlTemplate.placeholders(template));
                }
            }
        }
        return used;
    }

    public Optional<ExtraField> field(String fieldName) {
        return fields.stream().filter(f -> f.name().equals(fieldName)).findFirst();
    }
}
