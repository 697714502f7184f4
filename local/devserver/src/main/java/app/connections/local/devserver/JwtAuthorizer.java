package app.connections.local.devserver;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import java.net.MalformedURLException;
import java.net.URI;
import java.text.ParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What API Gateway's JWT authorizer does for one user pool: the Bearer token must be an RS256 JWT
 * signed by a key of the pool's JWKS, with the pool's exact issuer, an audience ({@code aud}, or
 * {@code client_id} for access tokens) among the configured ones, and not expired. Claims come out
 * as strings, as the authorizer places them on the request.
 */
final class JwtAuthorizer {
    private final String name;
    private final String issuer;
    private final Set<String> audience;
    private final DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();

    JwtAuthorizer(String name, String issuer, List<String> audience, String jwksUrl) {
        this.name = name;
        this.issuer = issuer;
        this.audience = Set.copyOf(audience);
        JWKSource<SecurityContext> keys;
        try {
            keys = JWKSourceBuilder.create(URI.create(jwksUrl).toURL()).retrying(true).build();
        } catch (MalformedURLException e) {
            throw new IllegalArgumentException("bad JWKS URL " + jwksUrl, e);
        }
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(JWSAlgorithm.RS256, keys));
        processor.setJWTClaimsSetVerifier(new DefaultJWTClaimsVerifier<>(
                new JWTClaimsSet.Builder().issuer(issuer).build(), Set.of("sub", "exp", "iat")));
    }

    String name() {
        return name;
    }

    /** The verified claims, or empty when the request does not carry a valid token for this pool. */
    Optional<Map<String, String>> verify(String authorizationHeader) {
        if (authorizationHeader == null) {
            return Optional.empty();
        }
        String token = authorizationHeader.regionMatches(true, 0, "Bearer ", 0, 7)
                ? authorizationHeader.substring(7).strip() : authorizationHeader.strip();
        JWTClaimsSet claims;
        try {
            claims = processor.process(token, null);
        } catch (ParseException | BadJOSEException | JOSEException e) {
            return Optional.empty();
        }
        List<String> aud = claims.getAudience();
        Object clientId = claims.getClaim("client_id");
        boolean audienceOk = aud.stream().anyMatch(audience::contains)
                || (clientId != null && audience.contains(clientId.toString()));
        if (!audienceOk || !issuer.equals(claims.getIssuer())) {
            return Optional.empty();
        }
        Map<String, String> out = new LinkedHashMap<>();
        claims.getClaims().forEach((k, v) -> out.put(k, stringify(v)));
        return Optional.of(out);
    }

    private static String stringify(Object value) {
        if (value instanceof java.util.Date date) {
            return Long.toString(date.toInstant().getEpochSecond());
        }
        if (value instanceof List<?> list) {
            return "[" + String.join(" ", list.stream().map(String::valueOf).toList()) + "]";
        }
        return String.valueOf(value);
    }
}
