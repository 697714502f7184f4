package app.connections.wiring;

import app.connections.connection.lifecycle.Reauthorizations;
import app.connections.connection.lifecycle.Revocations;
import app.connections.connection.lifecycle.aws.DynamoParkedRuns;
import app.connections.connection.lifecycle.aws.DynamoPendingRevocations;
import app.connections.refresh.MeteredPendingRevocations;

/** The connection lifecycle: revocation (builder and portal, with provider retries) and reauthorization. */
final class LifecycleWiring {
    private final Adapters a;
    private final OAuthWiring oauth;

    LifecycleWiring(Adapters a, OAuthWiring oauth) {
        this.a = a;
        this.oauth = oauth;
    }

    Revocations revocations() {
        return new Revocations(a.store(), a.vault(), oauth.providerRevocation(),
                new MeteredPendingRevocations(new DynamoPendingRevocations(a.aws.dynamo(), a.table()), a.metrics, a.clock),
                a.clock, a.config.secretRecoveryDays(), a.config.providerTimeout(), a.config.revocationBudget());
    }

    Reauthorizations reauthorizations() {
        return new Reauthorizations(parkedRuns());
    }

    DynamoParkedRuns parkedRuns() {
        return new DynamoParkedRuns(a.aws.dynamo(), a.table());
    }
}
