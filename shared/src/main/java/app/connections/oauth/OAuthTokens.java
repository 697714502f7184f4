package app.connections.oauth;

import app.connections.vault.Credential;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** What a token endpoint granted. {@link #toString()} never prints a token. */
public record OAuthTokens(String accessToken, Optional<String> refreshToken, Optional<Instant> expiresAt,
                          Optional<String> scope, String tokenType) {
    /** The vault form: access token, refresh token when granted, expiry, scopes, token type. */
    public Credential credential() {
        Map<String, String> values = new LinkedHashMap<>();
        values.put("accessToken", accessToken);
        refreshToken.ifPresent(rt -> values.put("refreshToken", rt));
        expiresAt.ifPresent(at -> values.put("expiresAt", at.toString()));
        scope.ifPresent(s -> values.put("scope", s));
        values.put("tokenType", tokenType);
        values.put("refreshable", Boolean.toString(refreshToken.isPresent()));
        return new Credential(values);
    }

    @Override
    public String toString() {
        return "OAuthTokens[" + tokenType + ", refresh " + refreshToken.isPresent() + ", expires " + expiresAt.orElse(null) + "]";
    }
}
