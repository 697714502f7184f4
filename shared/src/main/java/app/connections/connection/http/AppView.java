package app.connections.connection.http;

import app.connections.catalog.App;
import app.connections.catalog.ExtraField;
import app.connections.catalog.CredentialKind;
import java.util.List;

/** An app as the connect dialog needs it: what to ask for and how to validate it. No endpoint secrets exist to leak. */
public record AppView(String key, String name, String category, String group, String description,
                      List<CredentialKind> credentialKinds, List<ExtraField> fields, List<String> scopes, String apiKeyLabel,
                      String docs) {
    public static AppView of(App app) {
        return new AppView(app.key(), app.name(), app.category(), app.group(), app.description(), app.credentialKinds(),
                app.fields(), app.oauth2() == null ? List.of() : app.oauth2().scopes(),
                app.apiKey() == null ? null : app.apiKey().label(), app.docs());
    }
}
