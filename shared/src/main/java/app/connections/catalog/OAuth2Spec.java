package app.connections.catalog;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * How an app does OAuth 2.0: endpoints (templated with extra fields), scopes, PKCE, client
 * authentication, token quirks, how to read the external identity, and token revocation.
 */
public record OAuth2Spec(String authorizationUrl, String tokenUrl, List<String> scopes, String scopeSeparator,
                         String scopeParam, boolean pkce, String clientAuth, Map<String, String> extraAuthorizationParams,
                         Map<String, String> extraTokenParams, Long defaultExpiresInSeconds, boolean refreshable,
                         boolean rotatesRefreshTokens, String issuer, TokenResponse tokenResponse, Identity identity,
                         Revocation revocation) {

    public OAuth2Spec {
        Objects.requireNonNull(authorizationUrl, "authorizationUrl");
        Objects.requireNonNull(tokenUrl, "tokenUrl");
        scopes = scopes == null ? List.of() : List.copyOf(scopes);
        scopeSeparator = scopeSeparator == null ? " " : scopeSeparator;
        scopeParam = scopeParam == null ? "scope" : scopeParam;
        clientAuth = clientAuth == null ? "client_secret_basic" : clientAuth;
        if (!List.of("client_secret_basic", "client_secret_post").contains(clientAuth)) {
            throw new IllegalArgumentException("clientAuth must be client_secret_basic or client_secret_post");
        }
        extraAuthorizationParams = extraAuthorizationParams == null ? Map.of() : Map.copyOf(extraAuthorizationParams);
        extraTokenParams = extraTokenParams == null ? Map.of() : Map.copyOf(extraTokenParams);
        tokenResponse = tokenResponse == null ? new TokenResponse(null, null) : tokenResponse;
        Objects.requireNonNull(identity, "identity");
    }

    /**
     * Token endpoint quirks: a body {@code ok} flag (Slack answers errors with HTTP 200 and
     * {@code "ok": false}), where the access token sits, and what the provider's own error codes mean
     * beyond RFC 6749 §5.2 ({@code errorKinds}: code to {@code invalid_grant}, {@code invalid_client},
     * {@code transient} or {@code rejected}).
     */
    public record TokenResponse(String okPointer, String accessTokenPointer, Map<String, String> errorKinds) {
        private static final List<String> KINDS = List.of("invalid_grant", "invalid_client", "transient", "rejected");

        public TokenResponse {
            accessTokenPointer = accessTokenPointer == null ? "/access_token" : accessTokenPointer;
            errorKinds = errorKinds == null ? Map.of() : Map.copyOf(errorKinds);
            errorKinds.forEach((code, kind) -> {
                if (!KINDS.contains(kind)) {
                    throw new IllegalArgumentException("tokenResponse.errorKinds." + code + " must be one of " + KINDS);
                }
            });
        }

        public TokenResponse(String okPointer, String accessTokenPointer) {
            this(okPointer, accessTokenPointer, Map.of());
        }
    }

    /** Where the external account's identity is read: the token response, the id_token, or an endpoint. */
    public record Identity(String from, List<String> pointers, String url, String method, Map<String, String> headers) {
        public Identity {
            if (!List.of("token_response", "id_token", "endpoint", "field").contains(from)) {
                throw new IllegalArgumentException("identity.from must be token_response, id_token, endpoint or field");
            }
            pointers = pointers == null ? List.of() : List.copyOf(pointers);
            if ("endpoint".equals(from) && url == null) {
                throw new IllegalArgumentException("identity from an endpoint needs its url");
            }
            method = method == null ? "GET" : method;
            headers = headers == null ? Map.of() : Map.copyOf(headers);
        }
    }

    /** A token revocation endpoint: RFC 7009 or a described provider-specific call. */
    public record Revocation(String url, String style, String method, String clientAuth, String tokenParam, String notes) {
        public Revocation {
            Objects.requireNonNull(url, "revocation.url");
            if (!List.of("rfc7009", "custom").contains(style)) {
                throw new IllegalArgumentException("revocation.style must be rfc7009 or custom");
            }
            method = method == null ? "POST" : method;
            tokenParam = tokenParam == null ? "token" : tokenParam;
        }
    }
}
