package app.connections.oauth;

import app.connections.catalog.App;
import app.connections.catalog.OAuth2Spec;
import app.connections.platform.ExpiringCache;
import app.connections.platform.InvalidField;
import app.connections.platform.ProviderUnreachable;
import app.connections.provider.OutboundCheck;
import app.connections.provider.ProviderHttp;
import app.connections.provider.ProviderRequest;
import app.connections.provider.ProviderResponse;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An app's OAuth 2.0 endpoints as the protocol code uses them. An entry that names its endpoints is
 * used as it is; an entry with {@code oauth2.discovery} gets them from its issuer's metadata
 * (RFC 8414, OpenID Connect Discovery 1.0; parsed by Nimbus in {@link IssuerMetadata}), fetched
 * through the pinned outbound client and kept
 * for {@link #TTL}. The metadata's {@code issuer} must equal the configured one exactly (RFC 8414
 * §3.3); every URL it names must pass the catalog's URL rules and the outbound rules (https, a
 * public address). Taken from it: the authorization, token and revocation endpoints, S256 PKCE
 * ({@code code_challenge_methods_supported}), RFC 9207 {@code iss}
 * ({@code authorization_response_iss_parameter_supported}), the client authentication the token
 * endpoint takes, and, when the entry names no scopes, {@code openid} (listed in
 * {@code scopes_supported}, or the metadata is an OpenID Provider's) and {@code offline_access}
 * (when listed).
 *
 * <p>A mistake in the app's set-up (a mismatched issuer, an http or internal endpoint, no metadata)
 * is an {@link InvalidField} {@code app_misconfigured} naming the app and the metadata field, kept
 * for {@link #FAILURE_TTL} so a broken issuer is not fetched on every call; an issuer that cannot be
 * reached is {@link ProviderUnreachable}, not kept.
 */
public final class OAuthEndpoints {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(OAuthEndpoints.class);
    /** How long discovered metadata is used before it is fetched again. */
    public static final Duration TTL = Duration.ofHours(1);
    /** How long a misconfiguration is remembered before the metadata is fetched again. */
    public static final Duration FAILURE_TTL = Duration.ofMinutes(1);
    private static final int MAX_APPS = 256;

    private record Outcome(App app, InvalidField failure) {
    }

    private final ProviderHttp http;
    private final OutboundCheck outbound;
    private final ExpiringCache<String, Outcome> resolved;
    private final ExpiringCache<String, Outcome> failed;

    public OAuthEndpoints(ProviderHttp http, OutboundCheck outbound, Clock clock) {
        this.http = http;
        this.outbound = outbound;
        this.resolved = new ExpiringCache<>(TTL, MAX_APPS, clock);
        this.failed = new ExpiringCache<>(FAILURE_TTL, MAX_APPS, clock);
    }

    /** Only apps that name their endpoints; a discovered app is refused as not set up here. */
    public static OAuthEndpoints declaredOnly() {
        return new OAuthEndpoints(request -> {
            throw new ProviderUnreachable("issuer metadata is not fetched here", null);
        }, uri -> Optional.of("is not checked here"), Clock.systemUTC());
    }

    /**
     * {@code app} with its OAuth 2.0 endpoints resolved: itself when the entry names them (or it has
     * no OAuth 2.0), else with those of its issuer's metadata.
     *
     * @throws InvalidField {@code app_misconfigured}, naming the app and the field, for a mistake in its set-up
     * @throws ProviderUnreachable when the issuer's metadata cannot be fetched now
     */
    public App resolve(App app) {
        if (app.oauth2() == null || !app.oauth2().discovered()) {
            return app;
        }
        String key = app.key() + " " + app.oauth2().issuer();
        Optional<Outcome> known = resolved.get(key).or(() -> failed.get(key));
        Outcome outcome = known.orElseGet(() -> {
            Outcome fresh;
            try {
                fresh = new Outcome(discover(app), null);
                resolved.put(key, fresh);
            } catch (InvalidField e) {
                LOG.warn("app {}: its issuer's metadata is unusable: {}", app.key(), e.getMessage());
                fresh = new Outcome(null, e);
                failed.put(key, fresh);
            }
            return fresh;
        });
        if (outcome.failure() != null) {
            throw outcome.failure();
        }
        return outcome.app();
    }

    private App discover(App app) {
        OAuth2Spec spec = app.oauth2();
        String issuer = spec.issuer();
        IssuerMetadata metadata = null;
        URI source = null;
        List<String> answers = new ArrayList<>();
        for (URI candidate : metadataUrls(issuer, spec.discovery())) {
            outbound.refusal(candidate).ifPresent(why -> {
                throw misconfigured(app, "oauth2.issuer", "its metadata URL " + candidate + " " + why);
            });
            ProviderResponse response = http.send(new ProviderRequest("GET", candidate, Map.of("Accept", "application/json"),
                    null, ProviderRequest.Redirects.NEVER));
            if (response.status() == 429 || response.status() >= 500) {
                throw new ProviderUnreachable(app.name() + ": the issuer's metadata answered HTTP " + response.status(), null);
            }
            if (response.status() != 200) { // not there (404, or 405 from a server that routes the path elsewhere): the next
                answers.add(candidate + " answered HTTP " + response.status());
                continue;
            }
            try {
                metadata = IssuerMetadata.parse(response.body());
            } catch (IllegalArgumentException e) {
                throw misconfigured(app, "oauth2.issuer", "the metadata at " + candidate + " is not valid issuer metadata ("
                        + e.getMessage() + ")");
            }
            source = candidate;
            break;
        }
        if (metadata == null) {
            throw misconfigured(app, "oauth2.issuer", "no issuer metadata: " + String.join("; ", answers));
        }
        String published = metadata.issuer();
        if (!issuer.equals(published)) { // RFC 8414 §3.3: identical, no normalisation
            throw misconfigured(app, "issuer", "the metadata at " + source + " names issuer " + published
                    + ", not the configured " + issuer);
        }
        String authorization = endpoint(app, "authorization_endpoint", metadata.authorizationEndpoint(), true);
        String token = endpoint(app, "token_endpoint", metadata.tokenEndpoint(), true);
        OAuth2Spec.Revocation revocation = spec.revocation();
        String revocationUrl = endpoint(app, "revocation_endpoint", metadata.revocationEndpoint(), false);
        if (revocation == null && revocationUrl != null) {
            revocation = new OAuth2Spec.Revocation(revocationUrl, "rfc7009", null, null, null, null);
        }
        boolean pkce = spec.pkce() || metadata.codeChallengeMethods().contains("S256");
        boolean sendsIssuer = spec.sendsIssuer() || metadata.issParameterSupported();
        List<String> scopes = spec.scopes();
        if (scopes.isEmpty()) { // the identity defaults to the id_token's sub: ask for one where the server is an OpenID Provider
            List<String> supported = metadata.scopesSupported();
            scopes = new ArrayList<>();
            if (supported.contains("openid") || source.getPath().endsWith("/.well-known/openid-configuration")) {
                scopes.add("openid");
            }
            if (supported.contains("offline_access")) {
                scopes.add("offline_access");
            }
        }
        String clientAuth = clientAuth(spec.clientAuth(), metadata.tokenEndpointAuthMethods());
        try {
            return app.withOAuth2(spec.withDiscovered(authorization, token, revocation, scopes, pkce, clientAuth, sendsIssuer));
        } catch (IllegalArgumentException e) {
            throw misconfigured(app, "oauth2", "the discovered endpoints break the catalog's URL rules: " + e.getMessage());
        }
    }

    /**
     * Where the metadata is: RFC 8414 §3.1 inserts {@code /.well-known/oauth-authorization-server}
     * between the host and the issuer's path; OpenID Connect Discovery §4 appends
     * {@code /.well-known/openid-configuration} to the issuer.
     */
    static List<URI> metadataUrls(String issuer, String discovery) {
        URI uri = URI.create(issuer);
        String path = uri.getRawPath() == null || uri.getRawPath().equals("/") ? "" : uri.getRawPath().replaceAll("/$", "");
        String origin = uri.getScheme() + "://" + uri.getRawAuthority();
        URI rfc8414 = URI.create(origin + "/.well-known/oauth-authorization-server" + path);
        URI openid = URI.create(origin + path + "/.well-known/openid-configuration");
        return switch (discovery) {
            case "oauth-authorization-server" -> List.of(rfc8414);
            case "openid-configuration" -> List.of(openid);
            default -> List.of(rfc8414, openid);
        };
    }

    /** A URL the metadata names, checked: absolute, no template braces, and allowed by the outbound rules. */
    private String endpoint(App app, String field, URI uri, boolean required) {
        if (uri == null) {
            if (required) {
                throw misconfigured(app, field, "the issuer's metadata has no " + field);
            }
            return null;
        }
        String url = uri.toString();
        if (url.contains("{") || url.contains("}") || uri.getRawFragment() != null) {
            throw misconfigured(app, field, url + " is not a plain URL");
        }
        String suffix = app.oauth2().allowedHostSuffix();
        String host = uri.getHost() == null ? "" : uri.getHost().toLowerCase(java.util.Locale.ROOT);
        if (suffix != null && !host.equals(suffix) && !host.endsWith("." + suffix)) {
            throw misconfigured(app, field, url + " is not on the app's allowed hosts (" + suffix + ")");
        }
        outbound.refusal(uri).ifPresent(why -> {
            throw misconfigured(app, field, url + " " + why);
        });
        return url;
    }

    /** The entry's client authentication, unless the token endpoint lists only the other one we know. */
    private static String clientAuth(String declared, List<String> supported) {
        if (supported.isEmpty() || supported.contains(declared)) {
            return declared;
        }
        for (String ours : List.of("client_secret_basic", "client_secret_post")) {
            if (supported.contains(ours)) {
                return ours;
            }
        }
        return declared;
    }

    private static InvalidField misconfigured(App app, String field, String what) {
        return new InvalidField("app_misconfigured", "app",
                app.name() + " (app " + app.key() + ") is not set up correctly: " + field + ": " + what);
    }
}
