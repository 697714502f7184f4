package app.connections.catalog;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * How an app does OAuth 2.0: endpoints (templated with extra fields), scopes, PKCE, client
 * authentication, token quirks, how to read the external identity, and token revocation.
 *
 * @param defaultExpiresInSeconds access-token lifetime to assume when the token response omits
 *        {@code expires_in}; null when the provider's tokens do not expire
 * @param sendsIssuer the provider sends the RFC 9207 {@code iss} parameter in the authorization
 *        response; when true, {@code issuer} is the value it sends
 * @param consentParams authorization parameters that make the provider show its consent screen
 *        again (Google and Microsoft {@code prompt=consent}); empty when the provider has none
 * @param refreshTokenIdleExpiryDays a refresh token dies after this many days unused; null when
 *        not documented or never
 * @param refreshTokenMaxLifetimeDays absolute refresh-token lifetime in days; null when not
 *        documented or unlimited
 * @param allowedHostSuffix for URL templates whose host is entirely user-supplied (self-hosted
 *        servers): the host suffix every expanded URL must end with; null for fixed hosts
 * @param revocationNotes why {@code revocation} is null (no endpoint, or none the service can use)
 * @param discovery where the endpoints come from when they are not written in the entry: the
 *        issuer's published metadata, {@code oauth-authorization-server} (RFC 8414),
 *        {@code openid-configuration} (OpenID Connect Discovery 1.0) or {@code auto} (the first
 *        then the second); null when the entry names its endpoints. With discovery the entry names
 *        its {@code issuer} and no authorization or token URL; the identity defaults to the
 *        id_token's {@code sub}
 */
public record OAuth2Spec(String authorizationUrl, String tokenUrl, List<String> scopes, String scopeSeparator,
                         String scopeParam, boolean pkce, String clientAuth, Map<String, String> extraAuthorizationParams,
                         Map<String, String> extraTokenParams, Long defaultExpiresInSeconds, boolean refreshable,
                         boolean rotatesRefreshTokens, String issuer, TokenResponse tokenResponse, Identity identity,
                         Revocation revocation, boolean sendsIssuer, Map<String, String> consentParams,
                         Integer refreshTokenIdleExpiryDays, Integer refreshTokenMaxLifetimeDays, String allowedHostSuffix,
                         String revocationNotes, String discovery) {
    /** The kinds of issuer metadata {@code discovery} may name. */
    public static final List<String> DISCOVERY = List.of("auto", "oauth-authorization-server", "openid-configuration");

    private static final Pattern HOST_SUFFIX =
            Pattern.compile("^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z]{2,63}$");

    public OAuth2Spec {
        if (discovery == null) {
            Objects.requireNonNull(authorizationUrl, "oauth2.authorizationUrl is required (or name the issuer and discovery)");
            Objects.requireNonNull(tokenUrl, "oauth2.tokenUrl is required (or name the issuer and discovery)");
        } else {
            if (!DISCOVERY.contains(discovery)) {
                throw new IllegalArgumentException("oauth2.discovery must be one of " + DISCOVERY);
            }
            if (issuer == null || issuer.isBlank()) {
                throw new IllegalArgumentException("oauth2.discovery needs oauth2.issuer, the issuer whose metadata names the endpoints");
            }
            if (authorizationUrl != null || tokenUrl != null) {
                throw new IllegalArgumentException("oauth2.authorizationUrl and oauth2.tokenUrl come from the issuer's metadata"
                        + " with oauth2.discovery: leave them out");
            }
            identity = identity == null ? new Identity("id_token", List.of("sub"), null, null, null) : identity;
        }
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
        Objects.requireNonNull(identity, "oauth2.identity");
        if (defaultExpiresInSeconds != null && defaultExpiresInSeconds <= 0) {
            throw new IllegalArgumentException("defaultExpiresInSeconds must be positive (null when tokens do not expire)");
        }
        if (sendsIssuer && (issuer == null || issuer.isBlank())) {
            throw new IllegalArgumentException("sendsIssuer needs the issuer the provider sends");
        }
        consentParams = consentParams == null ? Map.of() : Map.copyOf(consentParams);
        consentParams.forEach((name, value) -> {
            if (name.isBlank() || value == null || value.isBlank()) {
                throw new IllegalArgumentException("consentParams need names and values");
            }
        });
        positiveOrNull(refreshTokenIdleExpiryDays, "refreshTokenIdleExpiryDays");
        positiveOrNull(refreshTokenMaxLifetimeDays, "refreshTokenMaxLifetimeDays");
        if (allowedHostSuffix != null && !HOST_SUFFIX.matcher(allowedHostSuffix).matches()) {
            throw new IllegalArgumentException("allowedHostSuffix must be a lower-case host name suffix such as example.com");
        }
        revocationNotes = revocationNotes == null || revocationNotes.isBlank() ? null : revocationNotes;
    }

    /** Whether the endpoints come from the issuer's metadata (resolved at first use, see {@code OAuthEndpoints}). */
    public boolean discovered() {
        return discovery != null;
    }

    /**
     * This spec with the endpoints and capabilities an issuer's metadata gave: no longer to be
     * discovered, everything else as the entry declares it.
     */
    public OAuth2Spec withDiscovered(String authorizationUrl, String tokenUrl, Revocation revocation, List<String> scopes,
                                     boolean pkce, String clientAuth, boolean sendsIssuer) {
        return new OAuth2Spec(authorizationUrl, tokenUrl, scopes, scopeSeparator, scopeParam, pkce, clientAuth,
                extraAuthorizationParams, extraTokenParams, defaultExpiresInSeconds, refreshable, rotatesRefreshTokens, issuer,
                tokenResponse, identity, revocation, sendsIssuer, consentParams, refreshTokenIdleExpiryDays,
                refreshTokenMaxLifetimeDays, allowedHostSuffix, revocationNotes, null);
    }

    private static void positiveOrNull(Integer days, String name) {
        if (days != null && days <= 0) {
            throw new IllegalArgumentException(name + " must be a positive number of days, or null");
        }
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
