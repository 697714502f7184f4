package app.connections.wiring;

import app.connections.connection.ConnectionAccess;
import app.connections.connection.lifecycle.ProviderRevocation;
import app.connections.oauth.ConnectFlow;
import app.connections.oauth.IdentityReader;
import app.connections.oauth.OAuthProviderRevocation;
import app.connections.oauth.RevocationEndpoint;
import app.connections.oauth.TokenEndpoint;
import app.connections.oauth.aws.DynamoConnectSessionStore;
import app.connections.oauth.aws.KmsCodeSeal;

/** The OAuth connect flow and the provider endpoints (token, identity, revocation). */
final class OAuthWiring {
    private final Adapters a;

    OAuthWiring(Adapters a) {
        this.a = a;
    }

    ConnectFlow connectFlow(LifecycleWiring lifecycle) {
        return new ConnectFlow(new DynamoConnectSessionStore(a.aws.dynamo(), a.table()), a.store(),
                new ConnectionAccess(a.workspaceAccess(), a.store()), a.catalog(), a.oauthClients(), tokenEndpoint(),
                new IdentityReader(a.providerHttp()), a.vault(), lifecycle.reauthorizations(), a.clock,
                a.config.oauthRedirectUri(), a.config.secretRecoveryDays(), a.timing(),
                new KmsCodeSeal(a.aws.kms(), a.config.kmsKeyId()));
    }

    TokenEndpoint tokenEndpoint() {
        return new TokenEndpoint(a.providerHttp(), a.oauthEndpoints());
    }

    ProviderRevocation providerRevocation() {
        return new OAuthProviderRevocation(a.catalog(), a.oauthClients(), new RevocationEndpoint(a.providerHttp(), a.oauthEndpoints()));
    }
}
