package app.connections.wiring;

import app.connections.refresh.RefreshPolicy;
import app.connections.refresh.RefreshRun;
import app.connections.refresh.TokenRefresher;
import app.connections.refresh.WriteBudget;
import app.connections.refresh.aws.DynamoDedupedAppAlarms;
import app.connections.refresh.aws.DynamoLeaseStore;
import app.connections.platform.aws.AwsClients;
import java.util.function.Supplier;

/** Token refresh: one refresher per execution environment, so every refresh here shares its write budget. */
final class RefreshWiring {
    private final Adapters a;
    private final LifecycleWiring lifecycle;
    private final Supplier<TokenRefresher> refresher;

    RefreshWiring(Adapters a, OAuthWiring oauth, LifecycleWiring lifecycle) {
        this.a = a;
        this.lifecycle = lifecycle;
        this.refresher = AwsClients.memoize(() -> new TokenRefresher(a.store(), new DynamoLeaseStore(a.aws.dynamo(), a.table()),
                a.vault(), a.catalog(), a.oauthClients(), oauth.tokenEndpoint(),
                new DynamoDedupedAppAlarms(a.aws.dynamo(), a.table()),
                new WriteBudget(a.config.refreshWriteBudget()),
                RefreshPolicy.defaults(a.timing(), a.config.refreshMinInterval()), a.clock, a.metrics));
    }

    TokenRefresher tokenRefresher() {
        return refresher.get();
    }

    RefreshRun refreshRun() {
        return new RefreshRun(a.store(), tokenRefresher(), lifecycle.revocations(), a.clock, a.config.refreshParallelism());
    }
}
