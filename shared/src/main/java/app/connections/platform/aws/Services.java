package app.connections.platform.aws;

import app.connections.api.lambda.Priming;
import app.connections.catalog.AppCatalog;
import app.connections.connection.ApiKeyCheck;
import app.connections.connection.ConnectionAccess;
import app.connections.grant.Grants;
import app.connections.grant.aws.DynamoGrantStore;
import app.connections.grant.aws.DynamoSpendLedger;
import app.connections.oauth.ConnectFlow;
import app.connections.oauth.RevocationEndpoint;
import app.connections.portal.Portal;
import app.connections.portal.Revocations;
import app.connections.portal.aws.DynamoPendingRevocations;
import app.connections.refresh.RefreshPolicy;
import app.connections.refresh.RefreshRun;
import app.connections.refresh.TokenRefresher;
import app.connections.refresh.WriteBudget;
import app.connections.refresh.aws.DynamoDedupedAppAlarms;
import app.connections.refresh.aws.DynamoLeaseStore;
import app.connections.resolve.Alerts;
import app.connections.resolve.CredentialCache;
import app.connections.resolve.Reauthorizations;
import app.connections.resolve.Resolver;
import app.connections.resolve.aws.DynamoAuditLog;
import app.connections.resolve.aws.DynamoParkedRuns;
import app.connections.oauth.IdentityReader;
import app.connections.oauth.TokenEndpoint;
import app.connections.oauth.aws.DynamoConnectSessionStore;
import app.connections.oauth.aws.SecretsManagerOAuthClients;
import app.connections.connection.Connections;
import app.connections.connection.aws.DynamoConnectionStore;
import app.connections.connection.aws.KmsFingerprinter;
import app.connections.events.aws.EventBridgePublisher;
import app.connections.platform.Config;
import app.connections.provider.http.JdkProviderHttp;
import app.connections.vault.aws.SecretsManagerVault;
import app.connections.workspace.KnownWorkspaces;
import app.connections.workspace.WorkspaceAccess;
import app.connections.workspace.Workspaces;
import app.connections.workspace.aws.DynamoWorkspaceRegistry;
import java.time.Clock;
import java.util.function.Supplier;

/**
 * The composition root: real adapters built from the configuration, once per execution
 * environment (a handler's no-arg constructor builds one). Nothing here runs per invocation.
 */
public final class Services {
    private final Config config;
    private final AwsClients aws;
    private final Clock clock;
    private TokenRefresher refresher;

    // Each adapter once per execution environment, built on first use (a function that never
    // needs an SDK client never creates one); the provider HTTP client and the OAuth client
    // registry (with its cache) are shared by every use case here.
    private final Supplier<DynamoConnectionStore> store;
    private final Supplier<DynamoWorkspaceRegistry> workspaceRegistry;
    private final Supplier<SecretsManagerVault> vault;
    private final Supplier<EventBridgePublisher> events;
    private final Supplier<JdkProviderHttp> providerHttp;
    private final Supplier<SecretsManagerOAuthClients> oauthClients;
    private final Supplier<CredentialCache> credentialCache;
    private final Supplier<KnownWorkspaces> knownWorkspaces;

    public Services(Config config, AwsClients aws, Clock clock) {
        this.config = config;
        this.aws = aws;
        this.clock = clock;
        this.store = AwsClients.memoize(() -> new DynamoConnectionStore(aws.dynamo(), config.tableName()));
        this.workspaceRegistry = AwsClients.memoize(() -> new DynamoWorkspaceRegistry(aws.dynamo(), config.tableName()));
        this.vault = AwsClients.memoize(() ->
                new SecretsManagerVault(aws.secrets(), aws.kms(), config.kmsKeyId(), config.secretNamePrefix()));
        this.events = AwsClients.memoize(() -> new EventBridgePublisher(aws.events(), config.eventBusName()));
        this.providerHttp = AwsClients.memoize(() ->
                new JdkProviderHttp(config.outboundAllowLoopback(), config.providerTimeout()));
        this.oauthClients = AwsClients.memoize(() -> new SecretsManagerOAuthClients(aws.secrets(), config.secretNamePrefix(), clock));
        this.knownWorkspaces = AwsClients.memoize(() ->
                new KnownWorkspaces(workspaceRegistry.get(), java.time.Duration.ofMinutes(5), 10_000, clock));
        this.credentialCache = AwsClients.memoize(() -> new CredentialCache(config.credentialCacheTtl(), 1_000, clock));
    }

    /**
     * SnapStart priming for this environment: the SDK request path of every client built so far,
     * then the function's own side-effect-free priming; before the snapshot, cached credentials
     * are dropped (there are none at init, but nothing secret may ever be in a snapshot).
     */
    public void primeBeforeSnapshot(Runnable functionPriming) {
        Priming.beforeSnapshot(() -> {
            aws.primeRequestPath();
            functionPriming.run();
        }, () -> credentialCache.get().clear());
    }

    public static Services fromEnvironment() {
        return new Services(Config.fromEnvironment(), new AwsClients(), Clock.systemUTC());
    }

    public Config config() {
        return config;
    }

    public AppCatalog catalog() {
        return AppCatalog.load(config.catalogFile());
    }

    public Workspaces workspaces() {
        return new Workspaces(workspaceRegistry.get());
    }

    public ConnectFlow connectFlow(AppCatalog catalog) {
        return new ConnectFlow(
                new DynamoConnectSessionStore(aws.dynamo(), config.tableName()),
                store(),
                new ConnectionAccess(workspaceAccess(), store()),
                catalog,
                oauthClients.get(),
                new TokenEndpoint(providerHttp()),
                new IdentityReader(providerHttp()),
                vault(),
                events(),
                reauthorizations(),
                clock,
                config.oauthRedirectUri(),
                config.secretRecoveryDays(),
                config.refreshTiming());
    }

    /** One token refresher per execution environment: its write budget is shared by every refresh here. */
    public synchronized TokenRefresher tokenRefresher(AppCatalog catalog) {
        if (refresher == null) {
            refresher = new TokenRefresher(store(), new DynamoLeaseStore(aws.dynamo(), config.tableName()), vault(), catalog,
                    oauthClients.get(), new TokenEndpoint(providerHttp()), events(),
                    new DynamoDedupedAppAlarms(aws.dynamo(), config.tableName(), events()),
                    new WriteBudget(config.refreshWriteBudget()), RefreshPolicy.defaults(config.refreshTiming(), config.refreshMinInterval()), clock);
        }
        return refresher;
    }

    public RefreshRun refreshRun(AppCatalog catalog) {
        return new RefreshRun(store(), tokenRefresher(catalog), revocations(catalog), clock, config.refreshParallelism());
    }

    public Revocations revocations(AppCatalog catalog) {
        return new Revocations(store(), vault(), catalog, oauthClients.get(),
                new RevocationEndpoint(providerHttp()), new DynamoPendingRevocations(aws.dynamo(), config.tableName()), events(),
                clock, config.secretRecoveryDays());
    }

    public Portal portal(AppCatalog catalog) {
        return new Portal(store(), workspaceRegistry.get(), connectFlow(catalog),
                tokenRefresher(catalog), revocations(catalog), vault());
    }

    public Resolver resolver(AppCatalog catalog) {
        return new Resolver(store(), vault(), tokenRefresher(catalog), new DynamoParkedRuns(aws.dynamo(), config.tableName()),
                new DynamoAuditLog(aws.dynamo(), config.tableName()), grants(catalog), clock, credentialCache.get());
    }

    public Grants grants(AppCatalog catalog) {
        return new Grants(store(), new DynamoGrantStore(aws.dynamo(), config.tableName()),
                new DynamoSpendLedger(aws.dynamo(), config.tableName()),
                workspaceRegistry.get(), catalog, events(), clock,
                config.reservationTtl());
    }

    public Alerts alerts() {
        return new Alerts(store(), workspaceAccess());
    }

    private WorkspaceAccess workspaceAccess() {
        return new WorkspaceAccess(knownWorkspaces.get());
    }

    private JdkProviderHttp providerHttp() {
        return providerHttp.get();
    }

    private DynamoConnectionStore store() {
        return store.get();
    }

    private EventBridgePublisher events() {
        return events.get();
    }

    private Reauthorizations reauthorizations() {
        return new Reauthorizations(new DynamoParkedRuns(aws.dynamo(), config.tableName()), events());
    }

    private SecretsManagerVault vault() {
        return vault.get();
    }

    public Connections connections(AppCatalog catalog) {
        return new Connections(
                store(),
                workspaceAccess(),
                catalog,
                vault(),
                new ApiKeyCheck(providerHttp()),
                new KmsFingerprinter(aws.kms(), config.fingerprintKeyId()),
                events(),
                reauthorizations(),
                revocations(catalog),
                clock,
                config.secretRecoveryDays());
    }
}
