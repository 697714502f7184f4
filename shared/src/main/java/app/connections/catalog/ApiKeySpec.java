package app.connections.catalog;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * How an app takes an API key: what the form calls it, an optional pattern, and a cheap
 * authenticated request that proves the key works and, where the app says, whose it is.
 *
 * @param identityNotes why the check request names no account (so the key's keyed fingerprint is
 *        its identity); null when {@code test.identityPointers} name one
 */
public record ApiKeySpec(String label, String pattern, KeyTest test, String identityNotes) {
    public ApiKeySpec {
        label = label == null ? "API key" : label;
        identityNotes = identityNotes == null || identityNotes.isBlank() ? null : identityNotes;
        if (pattern != null && (!pattern.startsWith("^") || !pattern.endsWith("$"))) {
            throw new IllegalArgumentException("apiKey.pattern must be anchored with ^ and $");
        }
    }

    /** A request made with the key before anything is saved. */
    public record KeyTest(String method, String url, Auth auth, Map<String, String> headers,
                          List<String> identityPointers, String okPointer) {
        public KeyTest {
            method = method == null ? "GET" : method;
            Objects.requireNonNull(url, "apiKey.test.url");
            Objects.requireNonNull(auth, "apiKey.test.auth");
            headers = headers == null ? Map.of() : Map.copyOf(headers);
            identityPointers = identityPointers == null ? List.of() : List.copyOf(identityPointers);
        }
    }

    /** How the key is presented: {@code bearer}, {@code basic} (username/password templates) or a {@code header}. */
    public record Auth(String type, String username, String password, String name, String value) {
        public Auth {
            if (!List.of("bearer", "basic", "header").contains(type)) {
                throw new IllegalArgumentException("apiKey.test.auth.type must be bearer, basic or header");
            }
            if ("basic".equals(type) && (username == null || password == null)) {
                throw new IllegalArgumentException("basic auth needs username and password templates");
            }
            if ("header".equals(type) && (name == null || value == null)) {
                throw new IllegalArgumentException("header auth needs name and value templates");
            }
        }
    }
}
