package app.connections.provider;

import java.util.Map;
import java.util.Optional;

/** A provider's answer: status, headers (lower-case names) and body (capped in size). */
public record ProviderResponse(int status, Map<String, String> headers, String body) {
    public ProviderResponse {
        headers = Map.copyOf(headers);
        body = body == null ? "" : body;
    }

    public Optional<String> header(String name) {
        return Optional.ofNullable(headers.get(name.toLowerCase(java.util.Locale.ROOT)));
    }

    @Override
    public String toString() {
        return "ProviderResponse[" + status + ", " + body.length() + " chars]";
    }
}
