package app.connections.platform.aws;

import app.connections.catalog.AppCatalog;
import app.connections.connection.ApiKeyCheck;
import app.connections.connection.ConnectionAccess;
import app.connections.oauth.ConnectFlow;
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
import app.connections.workspace.WorkspaceAccess;
import app.connections.workspace.Workspaces;
import app.connections.workspace.aws.DynamoWorkspaceRegistry;
import java.time.Clock;

/**
 * The composition root: real adapters built from the configuration, once per execution
 * environment (a handler's no-arg constructor builds one). Nothing here runs per invocation.
 */
public final class Services {
    private final Config config;
    private final AwsClients aws;
    private final Clock clock;

    public Services(Config config, AwsClients aws, Clock clock) {
        this.config = config;
        this.aws = aws;
        this.clock = clock;
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
        return new Workspaces(new DynamoWorkspaceRegistry(aws.dynamo(), config.tableName()));
    }

    public ConnectFlow connectFlow(AppCatalog catalog) {
        var store = new DynamoConnectionStore(aws.dynamo(), config.tableName());
        var http = new JdkProviderHttp(config.outboundAllowLoopback());
        return new ConnectFlow(
                new DynamoConnectSessionStore(aws.dynamo(), config.tableName()),
                store,
                new ConnectionAccess(new WorkspaceAccess(new DynamoWorkspaceRegistry(aws.dynamo(), config.tableName())), store),
                catalog,
                new SecretsManagerOAuthClients(aws.secrets(), config.secretNamePrefix()),
                new TokenEndpoint(http),
                new IdentityReader(http),
                vault(),
                new EventBridgePublisher(aws.events(), config.eventBusName()),
                clock,
                config.oauthRedirectUri(),
                config.secretRecoveryDays());
    }

    private SecretsManagerVault vault() {
        return new SecretsManagerVault(aws.secrets(), aws.kms(), config.kmsKeyId(), config.secretNamePrefix());
    }

    public Connections connections(AppCatalog catalog) {
        return new Connections(
                new DynamoConnectionStore(aws.dynamo(), config.tableName()),
                new WorkspaceAccess(new DynamoWorkspaceRegistry(aws.dynamo(), config.tableName())),
                catalog,
                vault(),
                new ApiKeyCheck(new JdkProviderHttp(config.outboundAllowLoopback())),
                new KmsFingerprinter(aws.kms(), config.fingerprintKeyId()),
                new EventBridgePublisher(aws.events(), config.eventBusName()),
                clock,
                config.secretRecoveryDays());
    }
}
