package app.connections.catalog;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * How an app takes an API key: what the form calls it, an optional pattern, and a cheap
 * authenticated request that proves the key works and, where the app says, whose it is.
 */
public record ApiKeySpec(String label, String pattern, KeyTest test) {
    public ApiKeySpec {
        label = label == null ? "API key" : label;
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
