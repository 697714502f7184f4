package app.connections.provider.http;

import static org.assertj.core.api.Assertions.assertThat;

import app.connections.auth.AccountRole;
import app.connections.auth.BuilderUser;
import app.connections.auth.WorkspaceRole;
import app.connections.connection.Connection;
import app.connections.connection.ConnectionStatus;
import app.connections.connection.Target;
import app.connections.local.aws.LocalAws;
import app.connections.local.aws.LocalAwsExtension;
import app.connections.local.aws.TokenEndpointStandIn;
import app.connections.oauth.CallbackResult;
import app.connections.oauth.ConnectFlow;
import app.connections.oauth.ConnectSession;
import app.connections.oauth.NewConnectSession;
import app.connections.oauth.aws.SecretsManagerOAuthClients;
import app.connections.platform.Config;
import app.connections.platform.aws.AwsClients;
import app.connections.refresh.RefreshOutcome;
import app.connections.refresh.RefreshReason;
import app.connections.testing.OAuthWorld.MutableClock;
import app.connections.vault.SecretOwner;
import app.connections.wiring.Services;
import app.connections.workspace.Workspace;
import app.connections.workspace.aws.DynamoWorkspaceRegistry;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.secretsmanager.model.ResourceExistsException;

/**
 * The path users take, tested as they take it: connect, refresh and revoke against a provider served
 * over HTTPS under its own name, through the production client — the name resolved once and the
 * connection pinned to the checked address, the certificate verified against the name (SNI). The only
 * thing relaxed is the address class (the provider runs on this machine's loopback); plain http is not.
 */
@ExtendWith(LocalAwsExtension.class)
class ConnectRefreshRevokeOverHttpsTest {
    private static final String HOST = "provider.test";

    @Test
    void aConnectionIsMadeRefreshedAndRevokedOverPinnedHttps(LocalAws local) throws Exception {
        KeyStore certificate = TestProviders.selfSigned(HOST);
        try (TokenEndpointStandIn provider = new TokenEndpointStandIn(TestProviders.serving(certificate), HOST)) {
            String app = "tls-" + UUID.randomUUID().toString().substring(0, 8);
            String account = "acct-" + UUID.randomUUID().toString().substring(0, 8);
            assertThat(provider.baseUrl()).startsWith("https://" + HOST + ":");
            Path catalog = Files.createTempFile("catalog", ".json");
            Files.writeString(catalog, "{\"apps\": [" + provider.catalogApp(app) + "]}");
            Map<String, String> env = new HashMap<>(local.environmentOf("OAuthFunction"));
            env.put("CATALOG_FILE", catalog.toString());
            env.put("OAUTH_REDIRECT_URI", "https://connections.example.com/oauth/callback");
            env.remove("OUTBOUND_ALLOW_LOOPBACK");
            Config config = Config.from(env);
            assertThat(config.outboundAllowLoopback()).isFalse();
            // the production client; its name resolution knows the provider's name, and only that
            HostResolver dns = host -> {
                if (!host.equals(HOST)) {
                    throw new UnknownHostException(host);
                }
                return new InetAddress[] {InetAddress.getByName("127.0.0.1")};
            };
            JdkProviderHttp pinned = new JdkProviderHttp(true, Duration.ofSeconds(10), dns, TestProviders.trusting(certificate));
            MutableClock clock = new MutableClock();
            Services services = new Services(config, new AwsClients(), clock, Optional.of(pinned));
            try {
                local.clients().secrets().createSecret(b -> b.name(SecretsManagerOAuthClients.secretName(config.secretNamePrefix(), app))
                        .secretString("{\"clientId\":\"tls-client\",\"clientSecret\":\"tls-secret\"}"));
            } catch (ResourceExistsException alreadyThere) {
                // another run of this test on the same stack
            }
            new DynamoWorkspaceRegistry(local.clients().dynamo(), config.tableName()).put(new Workspace("ws-tls", account, "TLS"));
            BuilderUser admin = new BuilderUser("admin-tls", account, AccountRole.MEMBER, Map.of("ws-tls", WorkspaceRole.ADMIN));
            ConnectFlow flow = services.connectFlow();
            var store = new app.connections.connection.aws.DynamoConnectionStore(local.clients().dynamo(), config.tableName());
            var vault = new app.connections.vault.aws.SecretsManagerVault(local.clients().secrets(), local.clients().kms(),
                    config.kmsKeyId(), config.secretNamePrefix());

            // connect: start, the provider's answer (no consent screen), callback, completion by the creator
            ConnectSession session = flow.createSession(admin, Target.workspace("ws-tls"), new NewConnectSession(app, null, null, null));
            URI authorize = flow.start(session.id());
            assertThat(authorize.toString()).startsWith("https://" + HOST + ":");
            URI back = URI.create(provider.authorize(query(authorize)));
            var authorized = (CallbackResult.Authorized) flow.callback(query(back));
            var connected = (CallbackResult.Connected) flow.complete(
                    new ConnectFlow.Completer(account, "admin-tls", ConnectSession.Opener.BUILDER), Target.workspace("ws-tls"),
                    authorized.sessionId(), authorized.completionCode());
            Connection c = store.find(connected.connectionId()).orElseThrow();
            assertThat(c.status()).isEqualTo(ConnectionStatus.ACTIVE);
            assertThat(provider.tokenCalls()).as("the code exchange reached the provider over TLS").isEqualTo(1);

            // refresh
            clock.advance(Duration.ofMinutes(1));
            assertThat(services.tokenRefresher().refresh(c.id(), RefreshReason.ROTATION)).isInstanceOf(RefreshOutcome.Refreshed.class);
            assertThat(provider.refreshCalls()).isEqualTo(1);

            // revoke: at the provider, refresh token first
            Connection refreshed = store.find(c.id()).orElseThrow();
            String refreshToken = vault.read(refreshed.secretRef().orElseThrow(),
                    new SecretOwner(refreshed.accountId(), refreshed.workspaceId(), refreshed.id(), refreshed.app())).get("refreshToken");
            services.revocations().revoke(refreshed, "revoked_by_user");
            assertThat(provider.wasRevoked(refreshToken)).as("revoked at the provider over TLS").isTrue();
        }
    }

    private static Map<String, String> query(URI uri) {
        Map<String, String> out = new HashMap<>();
        for (String pair : uri.getRawQuery().split("&")) {
            int eq = pair.indexOf('=');
            out.put(java.net.URLDecoder.decode(pair.substring(0, eq), java.nio.charset.StandardCharsets.UTF_8),
                    java.net.URLDecoder.decode(pair.substring(eq + 1), java.nio.charset.StandardCharsets.UTF_8));
        }
        return out;
    }
}
