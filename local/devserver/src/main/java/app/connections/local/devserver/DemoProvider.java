package app.connections.local.devserver;

import app.connections.local.aws.LocalAws;
import app.connections.oauth.aws.SecretsManagerOAuthClients;
import java.net.InetAddress;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.OAuth2Config;
import software.amazon.awssdk.services.secretsmanager.model.ResourceExistsException;

/**
 * The dev stack's OAuth provider: mock-oauth2-server from Maven Central, with its interactive
 * sign-in page as the consent screen, registered as the custom catalog app {@value #APP}. Our
 * client registration for it goes to Secrets Manager exactly where a real app's would.
 */
final class DemoProvider implements AutoCloseable {
    static final String APP = "demo";

    private final MockOAuth2Server server = new MockOAuth2Server(OAuth2Config.Companion.fromJson("{\"interactiveLogin\": true}"));

    DemoProvider(LocalAws local, String secretNamePrefix) {
        server.start(InetAddress.getLoopbackAddress(), 0);
        try {
            local.clients().secrets().createSecret(b -> b.name(SecretsManagerOAuthClients.secretName(secretNamePrefix, APP))
                    .secretString("{\"clientId\":\"connections-demo\",\"clientSecret\":\"demo-client-secret\"}"));
        } catch (ResourceExistsException alreadyThere) {
            // the stack was bootstrapped before
        }
    }

    String issuer() {
        return server.issuerUrl(APP).toString();
    }

    /** The catalog entry of the demo app (CATALOG_FILE format). */
    String catalogApp() {
        return """
                {"key": "demo", "name": "Demo CRM (local OAuth server)", "credentialKinds": ["OAUTH2"],
                 "oauth2": {"authorizationUrl": "%1$s/authorize", "tokenUrl": "%1$s/token",
                            "scopes": ["openid", "offline_access"], "pkce": true, "clientAuth": "client_secret_basic",
                            "issuer": "%1$s", "identity": {"from": "id_token", "pointers": ["sub"]},
                            "revocation": {"url": "%1$s/revoke", "style": "rfc7009"}}}
                """.formatted(issuer());
    }

    @Override
    public void close() {
        server.shutdown();
    }
}
