package app.connections.oauth;

import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.as.AuthorizationServerMetadata;
import com.nimbusds.oauth2.sdk.auth.ClientAuthenticationMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import java.net.URI;
import java.util.List;
import java.util.Optional;

/**
 * What the service takes from an issuer's RFC 8414 / OpenID Connect metadata, parsed by Nimbus
 * ({@link AuthorizationServerMetadata#parse(String)}, which reads OpenID Provider metadata too). The
 * only class that touches Nimbus's metadata types, so code that never discovers never loads them.
 */
record IssuerMetadata(String issuer, URI authorizationEndpoint, URI tokenEndpoint, URI revocationEndpoint,
                      List<String> codeChallengeMethods, boolean issParameterSupported, List<String> scopesSupported,
                      List<String> tokenEndpointAuthMethods) {

    /** The metadata of a JSON document, or an {@link IllegalArgumentException} saying why it is none. */
    static IssuerMetadata parse(String json) {
        AuthorizationServerMetadata m;
        try {
            m = AuthorizationServerMetadata.parse(json);
        } catch (ParseException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        return new IssuerMetadata(m.getIssuer() == null ? null : m.getIssuer().getValue(), m.getAuthorizationEndpointURI(),
                m.getTokenEndpointURI(), m.getRevocationEndpointURI(),
                Optional.ofNullable(m.getCodeChallengeMethods()).orElse(List.of()).stream().map(CodeChallengeMethod::getValue).toList(),
                m.supportsAuthorizationResponseIssuerParam(),
                m.getScopes() == null ? List.of() : m.getScopes().toStringList(),
                Optional.ofNullable(m.getTokenEndpointAuthMethods()).orElse(List.of()).stream()
                        .map(ClientAuthenticationMethod::getValue).toList());
    }
}
