package app.connections.wiring;

import app.connections.api.lambda.LambdaLogContext;
import app.connections.catalog.AppCatalog;
import app.connections.platform.Metrics;
import app.connections.connection.RefreshTiming;
import app.connections.connection.aws.DynamoConnectionStore;
import app.connections.events.aws.EventBridgePublisher;
import app.connections.grant.aws.GrantItems;
import app.connections.oauth.OAuthEndpoints;
import app.connections.oauth.aws.SecretsManagerOAuthClients;
import app.connections.platform.Config;
import app.connections.platform.aws.AwsClients;
import app.connections.provider.ProviderHttp;
import app.connections.provider.http.HostResolver;
import app.connections.provider.http.JdkProviderHttp;
import app.connections.provider.http.OutboundRules;
import app.connections.resolve.CredentialCache;
import app.connections.vault.aws.DynamoDbVault;
import app.connections.vault.aws.SecretsManagerVault;
import app.connections.vault.aws.VaultByMode;
import app.connections.workspace.KnownWorkspaces;
import app.connections.workspace.WorkspaceAccess;
import app.connections.workspace.aws.DynamoWorkspaceRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * The adapters every feature shares, each built once per execution environment on first use (a
 * function that never needs an SDK client never creates one): the store, the vault, the bus, one
 * provider HTTP client, one OAuth client registry with its cache, the catalog.
 */
final class Adapters {
    final Config config;
    final AwsClients aws;
    final Clock clock;
    /** The service's metrics (EMF in Lambda); the use cases that report get it. */
    final Metrics metrics;
    private final Supplier<AppCatalog> catalog;
    private final Supplier<DynamoConnectionStore> store;
    private final Supplier<DynamoWorkspaceRegistry> workspaceRegistry;
    private final Supplier<VaultByMode> vault;
    private final Supplier<EventBridgePublisher> events;
    private final Supplier<ProviderHttp> providerHttp;
    private final Supplier<SecretsManagerOAuthClients> oauthClients;
    private final Supplier<CredentialCache> credentialCache;
    private final Supplier<KnownWorkspaces> knownWorkspaces;
    private final Supplier<OAuthEndpoints> oauthEndpoints;

    Adapters(Config config, AwsClients aws, Clock clock, java.util.Optional<ProviderHttp> outbound) {
        this.config = config;
        this.aws = aws;
        this.clock = clock;
        LambdaLogContext.configure(config.observability());
        this.metrics = LambdaLogContext.metrics();
        aws.countThrottles(metrics);
        this.catalog = AwsClients.memoize(() -> AppCatalog.load(config.catalogFile()));
        this.store = AwsClients.memoize(() -> new DynamoConnectionStore(aws.dynamo(), config.tableName(),
                new GrantItems(aws.dynamo(), config.tableName()), clock));
        this.workspaceRegistry = AwsClients.memoize(() -> new DynamoWorkspaceRegistry(aws.dynamo(), config.tableName()));
        this.vault = AwsClients.memoize(() -> new VaultByMode(
                new SecretsManagerVault(aws.secrets(), aws.kms(), config.kmsKeyId(), config.secretNamePrefix()),
                new DynamoDbVault(aws.dynamo(), config.tableName(), aws.kms(), config.kmsKeyId(), clock),
                VaultByMode.parse(config.vaultMode())));
        this.events = AwsClients.memoize(() -> new EventBridgePublisher(aws.events(), config.eventBusName()));
        this.providerHttp = AwsClients.memoize(() -> outbound.orElseGet(() ->
                new JdkProviderHttp(config.outboundAllowLoopback(), config.providerTimeout())));
        this.oauthEndpoints = AwsClients.memoize(() -> new OAuthEndpoints(providerHttp.get(),
                new OutboundRules(config.outboundAllowLoopback(), HostResolver.system()), clock));
        this.oauthClients = AwsClients.memoize(() -> new SecretsManagerOAuthClients(aws.secrets(), config.secretNamePrefix(), clock));
        this.knownWorkspaces = AwsClients.memoize(() ->
                new KnownWorkspaces(workspaceRegistry.get(), Duration.ofMinutes(5), 10_000, clock));
        this.credentialCache = AwsClients.memoize(() -> new CredentialCache(config.credentialCacheTtl(), 1_000, clock));
    }

    AppCatalog catalog() {
        return catalog.get();
    }

    DynamoConnectionStore store() {
        return store.get();
    }

    DynamoWorkspaceRegistry workspaceRegistry() {
        return workspaceRegistry.get();
    }

    WorkspaceAccess workspaceAccess() {
        return new WorkspaceAccess(knownWorkspaces.get());
    }

    VaultByMode vault() {
        return vault.get();
    }

    /** The bus: built only by the outbox function (the one function with EVENT_BUS_NAME and events:PutEvents). */
    EventBridgePublisher events() {
        return events.get();
    }

    ProviderHttp providerHttp() {
        return providerHttp.get();
    }

    /** Apps' OAuth 2.0 endpoints, discovered ones from their issuer's metadata (one cache per environment). */
    OAuthEndpoints oauthEndpoints() {
        return oauthEndpoints.get();
    }

    SecretsManagerOAuthClients oauthClients() {
        return oauthClients.get();
    }

    CredentialCache credentialCache() {
        return credentialCache.get();
    }

    /** When tokens are refreshed, from REFRESH_LEAD_MINUTES, REFRESH_PERIOD_MINUTES and REFRESH_KEEPALIVE_HOURS. */
    RefreshTiming timing() {
        return new RefreshTiming(config.refreshLead(), config.refreshPeriod(), config.refreshKeepAlive());
    }

    String table() {
        return config.tableName();
    }
}
