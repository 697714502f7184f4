package app.connections.testing;

import app.connections.auth.AccountRole;
import app.connections.auth.BuilderUser;
import app.connections.auth.WorkspaceRole;
import app.connections.connection.Connection;
import app.connections.connection.ConnectionStatus;
import app.connections.catalog.CredentialKind;
import app.connections.connection.Scope;
import app.connections.connection.aws.DynamoConnectionStore;
import app.connections.local.aws.LocalAws;
import app.connections.local.aws.TokenEndpointStandIn;
import app.connections.oauth.aws.SecretsManagerOAuthClients;
import app.connections.platform.Config;
import app.connections.platform.aws.AwsClients;
import app.connections.wiring.Services;
import app.connections.vault.Credential;
import app.connections.vault.SecretOwner;
import app.connections.vault.aws.SecretsManagerVault;
import app.connections.workspace.Workspace;
import app.connections.workspace.aws.DynamoWorkspaceRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import software.amazon.awssdk.services.secretsmanager.model.ResourceExistsException;

/**
 * A tenant with OAuth connections on a token endpoint stand-in ({@code rotating} app), built with
 * the real adapters on the local stack and a clock the test moves.
 */
public final class OAuthWorld implements AutoCloseable {
    public final LocalAws local;
    /** This world's own app key, so a run of the (global) refresher never reaches another test's connections. */
    public final String app = "rotating-" + UUID.randomUUID().toString().substring(0, 8);
    private final java.util.List<String> created = new java.util.concurrent.CopyOnWriteArrayList<>();
    public final TokenEndpointStandIn provider = new TokenEndpointStandIn();
    public final String account = "acct-" + UUID.randomUUID().toString().substring(0, 8);
    public final String workspace = "ws-acme";
    public final MutableClock clock = new MutableClock();
    public final Config config;
    public final Services services;
    public final DynamoConnectionStore store;
    public final SecretsManagerVault vault;

    public OAuthWorld(LocalAws local, String functionLogicalId, Map<String, String> extraEnv) throws Exception {
        this(local, functionLogicalId, extraEnv, (service, o) -> { });
    }

    /**
     * A world whose {@link #services} build their SDK clients with {@code serviceClients} (e.g. a
     * {@link FaultInjector}); the world's own {@link #store} and {@link #vault}, for set-up and
     * assertions, use plain clients.
     */
    public OAuthWorld(LocalAws local, String functionLogicalId, Map<String, String> extraEnv,
                      AwsClients.Customizer serviceClients) throws Exception {
        this(local, functionLogicalId, extraEnv, serviceClients, java.util.List.of());
    }

    /**
     * A world whose catalog also holds {@code moreApps} (CATALOG_FILE entries, e.g. apps on a real
     * OAuth server; register their clients with {@link #registerClient}).
     */
    public OAuthWorld(LocalAws local, String functionLogicalId, Map<String, String> extraEnv,
                      AwsClients.Customizer serviceClients, java.util.List<String> moreApps) throws Exception {
        this.local = local;
        Path catalog = Files.createTempFile("catalog", ".json");
        java.util.List<String> apps = new java.util.ArrayList<>(moreApps);
        apps.add(0, provider.catalogApp(app));
        Files.writeString(catalog, "{\"apps\": [" + String.join(",", apps) + "]}");
        Map<String, String> env = new HashMap<>(local.environmentOf(functionLogicalId));
        env.put("CATALOG_FILE", catalog.toString());
        env.put("OUTBOUND_ALLOW_LOOPBACK", "true");
        env.putIfAbsent("OAUTH_REDIRECT_URI", "http://127.0.0.1:9/oauth/callback");
        env.putAll(extraEnv);
        config = Config.from(env);
        AwsClients aws = new AwsClients();
        services = new Services(config, new AwsClients(serviceClients), clock);
        // the store as the service builds it: grant copies kept current with the connection
        store = new DynamoConnectionStore(aws.dynamo(), config.tableName(),
                new app.connections.grant.aws.GrantItems(aws.dynamo(), config.tableName()));
        vault = new SecretsManagerVault(aws.secrets(), aws.kms(), config.kmsKeyId(), config.secretNamePrefix());
        try {
            aws.secrets().createSecret(b -> b.name(SecretsManagerOAuthClients.secretName(config.secretNamePrefix(), app))
                    .secretString("{\"clientId\":\"connections-rotating\",\"clientSecret\":\"rotating-client-secret\"}"));
        } catch (ResourceExistsException alreadyThere) {
            // shared by the test classes of this stack
        }
        new DynamoWorkspaceRegistry(aws.dynamo(), config.tableName()).put(new Workspace(workspace, account, "Acme Corp"));
    }

    /**
     * An ACTIVE OAuth connection of {@code externalAccount} whose access token expires in {@code expiresIn}:
     * a one-hour token granted {@code 1 h - expiresIn} ago (or, for longer, a token of that lifetime just granted).
     */
    public Connection oauthConnection(String externalAccount, Duration expiresIn) {
        return oauthConnection(externalAccount, expiresIn, workspace, "admin-1");
    }

    /** An ACTIVE OAuth connection in {@code workspaceId}, authorized by {@code person} (see above for its token). */
    public Connection oauthConnection(String externalAccount, Duration expiresIn, String workspaceId, String person) {
        Duration lifetime = expiresIn.compareTo(Duration.ofHours(1)) > 0 ? expiresIn : Duration.ofHours(1);
        return oauthConnection(externalAccount, Optional.of(lifetime), lifetime.minus(expiresIn), workspaceId, person);
    }

    /**
     * An ACTIVE OAuth connection whose access token has {@code lifetime} (empty: the provider gave none)
     * and was granted {@code age} ago, scheduled as the service schedules it.
     */
    public Connection oauthConnection(String externalAccount, Optional<Duration> lifetime, Duration age) {
        return oauthConnection(externalAccount, lifetime, age, workspace, "admin-1");
    }

    private Connection oauthConnection(String externalAccount, Optional<Duration> lifetime, Duration age, String workspaceId,
                                       String person) {
        Map<String, String> granted = provider.grant(externalAccount);
        Instant now = clock.instant();
        Instant issued = now.minus(age);
        Optional<Instant> expiresAt = lifetime.map(issued::plus);
        String id = UUID.randomUUID().toString();
        created.add(id);
        Connection c = Connection.create(id, account, Optional.of(workspaceId), Scope.WORKSPACE, app, "CRM " + externalAccount,
                CredentialKind.OAUTH2, ConnectionStatus.ACTIVE, Map.of(), person, now);
        var ref = vault.create(owner(c), new Credential(Map.of("accessToken", granted.get("access_token"),
                "refreshToken", granted.get("refresh_token"), "tokenType", "Bearer")));
        return store.create(c.authorized(externalAccount, person, ref,
                services.refreshTiming().granted(expiresAt, true, issued), now));
    }

    /** Our OAuth client registration for {@code appKey}, where the service reads it (Secrets Manager). */
    public void registerClient(String appKey, String clientId, String clientSecret) {
        try {
            new AwsClients().secrets().createSecret(b -> b.name(SecretsManagerOAuthClients.secretName(config.secretNamePrefix(), appKey))
                    .secretString("{\"clientId\":\"" + clientId + "\",\"clientSecret\":\"" + clientSecret + "\"}"));
        } catch (ResourceExistsException alreadyThere) {
            // shared by the test classes of this stack
        }
    }

    /**
     * An ACTIVE OAuth connection of {@code appKey} holding tokens some real server granted just now
     * ({@code expiresIn} seconds, if it said), scheduled as the service schedules them.
     */
    public Connection connectionWithTokens(String appKey, String externalAccount, String accessToken, String refreshToken,
                                           Optional<Long> expiresIn) {
        Instant now = clock.instant();
        String id = UUID.randomUUID().toString();
        created.add(id);
        Connection c = Connection.create(id, account, Optional.of(workspace), Scope.WORKSPACE, appKey, "CRM " + externalAccount,
                CredentialKind.OAUTH2, ConnectionStatus.ACTIVE, Map.of(), "admin-1", now);
        var ref = vault.create(owner(c), new Credential(Map.of("accessToken", accessToken, "refreshToken", refreshToken,
                "tokenType", "Bearer")));
        return store.create(c.authorized(externalAccount, "admin-1", ref,
                services.refreshTiming().granted(expiresIn.map(now::plusSeconds), true, now), now));
    }

    /** An ACTIVE API-key connection of this world's workspace. */
    public Connection apiKeyConnection(String key, Map<String, String> fields) {
        Instant now = clock.instant();
        String id = UUID.randomUUID().toString();
        created.add(id);
        Connection c = Connection.create(id, account, Optional.of(workspace), Scope.WORKSPACE, "freshdesk", "Desk " + id,
                CredentialKind.API_KEY, ConnectionStatus.ACTIVE, fields, "admin-1", now);
        var ref = vault.create(owner(c), new Credential(Map.of("apiKey", key)));
        return store.create(c.withCredential(fields, ref, "hmac:test-" + id, now));
    }

    /** The workspace admin who connects things here. */
    public BuilderUser admin() {
        return new BuilderUser("admin-1", account, AccountRole.MEMBER, Map.of(workspace, WorkspaceRole.ADMIN));
    }

    public Credential tokens(Connection c) {
        return vault.read(store.find(c.id()).orElseThrow().secretRef().orElseThrow(), owner(c));
    }

    public Connection reload(Connection c) {
        return store.find(c.id()).orElseThrow();
    }

    public static SecretOwner owner(Connection c) {
        return new SecretOwner(c.accountId(), c.workspaceId(), c.id(), c.app());
    }

    /** Takes this world's connections out of every index (they stay readable) and stops the provider. */
    @Override
    public void close() {
        for (String id : created) {
            store.find(id).filter(c -> c.status() != ConnectionStatus.REVOKED)
                    .ifPresent(c -> store.update(c.revoked("test", clock.instant())));
        }
        provider.close();
    }

    /** A clock the test moves forward. */
    public static final class MutableClock extends Clock {
        private volatile Instant now = Instant.now();

        public void advance(Duration by) {
            now = now.plus(by);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
