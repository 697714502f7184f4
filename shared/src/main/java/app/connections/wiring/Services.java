package app.connections.wiring;

import app.connections.api.lambda.Priming;
import app.connections.catalog.AppCatalog;
import app.connections.connection.Alerts;
import app.connections.connection.ApiKeyCheck;
import app.connections.connection.Connections;
import app.connections.connection.RefreshTiming;
import app.connections.connection.aws.KmsFingerprinter;
import app.connections.connection.lifecycle.Revocations;
import app.connections.grant.Grants;
import app.connections.grant.aws.DynamoGrantStore;
import app.connections.grant.aws.DynamoSpendLedger;
import app.connections.oauth.ConnectFlow;
import app.connections.platform.Config;
import app.connections.platform.aws.AwsClients;
import app.connections.portal.Portal;
import app.connections.refresh.RefreshRun;
import app.connections.refresh.TokenRefresher;
import app.connections.resolve.Resolver;
import app.connections.resolve.aws.DynamoAuditLog;
import app.connections.workspace.Workspaces;
import java.time.Clock;

/**
 * The composition root, above every feature: real adapters built from the configuration once per
 * execution environment (a handler's no-arg constructor builds one), and each use case from one
 * small factory per feature. Nothing here runs per invocation; nothing below imports it.
 */
public final class Services {
    private final Adapters adapters;
    private final OAuthWiring oauth;
    private final LifecycleWiring lifecycle;
    private final RefreshWiring refresh;

    public Services(Config config, AwsClients aws, Clock clock) {
        this(config, aws, clock, java.util.Optional.empty());
    }

    /**
     * With the outbound HTTP client given (tests: the production client with a stand-in name resolution
     * and a test certificate authority), instead of the one the configuration describes.
     */
    public Services(Config config, AwsClients aws, Clock clock, java.util.Optional<app.connections.provider.ProviderHttp> outbound) {
        this.adapters = new Adapters(config, aws, clock, outbound);
        this.oauth = new OAuthWiring(adapters);
        this.lifecycle = new LifecycleWiring(adapters, oauth);
        this.refresh = new RefreshWiring(adapters, oauth, lifecycle);
    }

    public static Services fromEnvironment() {
        return new Services(Config.fromEnvironment(), new AwsClients(), Clock.systemUTC());
    }

    /**
     * SnapStart priming for this environment: the SDK request path of every client built so far,
     * then the function's own side-effect-free priming; before the snapshot, cached credentials
     * are dropped (there are none at init, but nothing secret may ever be in a snapshot).
     */
    public void primeBeforeSnapshot(Runnable functionPriming) {
        Priming.beforeSnapshot(() -> {
            adapters.aws.primeRequestPath();
            Priming.primeTelemetry();
            functionPriming.run();
        }, () -> adapters.credentialCache().clear());
    }

    /** The service's metrics. */
    public app.connections.platform.Metrics metrics() {
        return adapters.metrics;
    }

    public Config config() {
        return adapters.config;
    }

    /** When tokens are refreshed in this environment. */
    public RefreshTiming refreshTiming() {
        return adapters.timing();
    }

    /** The catalog of this environment, loaded once. */
    public AppCatalog catalog() {
        return adapters.catalog();
    }

    public Workspaces workspaces() {
        return new Workspaces(adapters.workspaceRegistry());
    }

    public Connections connections() {
        return new Connections(adapters.store(), adapters.workspaceAccess(), adapters.catalog(), adapters.vault(),
                new ApiKeyCheck(adapters.providerHttp()), new KmsFingerprinter(adapters.aws.kms(), adapters.config.fingerprintKeyId()),
                lifecycle.reauthorizations(), lifecycle.revocations(), adapters.clock,
                adapters.config.secretRecoveryDays());
    }

    public Alerts alerts() {
        return new Alerts(adapters.store(), adapters.workspaceAccess());
    }

    public ConnectFlow connectFlow() {
        return oauth.connectFlow(lifecycle);
    }

    /** The outbox's delivery to the bus (the outbox function alone). */
    public app.connections.events.OutboxDelivery outboxDelivery() {
        return new app.connections.events.OutboxDelivery(adapters.events(), adapters.metrics, adapters.clock);
    }

    public Revocations revocations() {
        return lifecycle.revocations();
    }

    /** One token refresher per execution environment: its write budget is shared by every refresh here. */
    public TokenRefresher tokenRefresher() {
        return refresh.tokenRefresher();
    }

    public RefreshRun refreshRun() {
        return refresh.refreshRun();
    }

    public Portal portal() {
        return new Portal(adapters.store(), adapters.workspaceRegistry(), connectFlow(), tokenRefresher(), revocations(),
                adapters.vault(), adapters.catalog());
    }

    public Resolver resolver() {
        return new Resolver(adapters.store(), adapters.vault(), tokenRefresher(), lifecycle.parkedRuns(),
                new DynamoAuditLog(adapters.aws.dynamo(), adapters.table()), grants(), adapters.clock, adapters.credentialCache(),
                adapters.metrics);
    }

    /** The vault's maintenance tasks: moving credentials between stores, re-sealing under the current key. */
    public app.connections.maintenance.VaultMaintenance vaultMaintenance() {
        return new app.connections.maintenance.VaultMaintenance(adapters.store(), adapters.vault(),
                new app.connections.refresh.aws.DynamoLeaseStore(adapters.aws.dynamo(), adapters.table()),
                new app.connections.refresh.WriteBudget(adapters.config.refreshWriteBudget()), adapters.clock,
                adapters.config.secretRecoveryDays(), java.time.Duration.ofSeconds(60));
    }

    public Grants grants() {
        return new Grants(adapters.store(), new DynamoGrantStore(adapters.aws.dynamo(), adapters.table()),
                new DynamoSpendLedger(adapters.aws.dynamo(), adapters.table()), adapters.workspaceRegistry(), adapters.catalog(),
                adapters.clock, adapters.config.reservationTtl());
    }
}
