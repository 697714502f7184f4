package app.connections.provider;

import java.net.URI;
import java.util.Map;
import java.util.Objects;

/** A request to a third-party app's endpoint. Header values may hold credentials: never log them. */
public record ProviderRequest(String method, URI uri, Map<String, String> headers, String body) {
    public ProviderRequest {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(uri, "uri");
        headers = Map.copyOf(headers);
    }

    @Override
    public String toString() {
        return "ProviderRequest[" + method + " " + uri.getScheme() + "://" + uri.getHost() + uri.getPath() + "]";
    }
}
