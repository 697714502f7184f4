package app.connections.local.bench;

import app.connections.catalog.AppCatalog;
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
import app.connections.refresh.RefreshRun;
import app.connections.refresh.TokenRefresher;
import app.connections.vault.Credential;
import app.connections.vault.SecretOwner;
import app.connections.vault.aws.SecretsManagerVault;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * {@code bin/bench-refresh}: one refresher invocation against a local token endpoint with 100 ms
 * latency and 2,000 due connections, on a fresh moto; prints refreshes per minute and the peak
 * secret-write rate. Arguments: [connections] [latencyMillis] [writeBudgetPerSecond] [parallelism].
 */
public final class RefreshBenchmark {
    private RefreshBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int count = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
        long latencyMs = args.length > 1 ? Long.parseLong(args[1]) : 100;
        String budget = args.length > 2 ? args[2] : "40";
        String parallelism = args.length > 3 ? args[3] : "32";

        LocalAws local = LocalAws.startFresh();
        try (TokenEndpointStandIn provider = new TokenEndpointStandIn()) {
            Path catalog = Files.createTempFile("bench-catalog", ".json");
            Files.writeString(catalog, "{\"apps\": [" + provider.catalogApp("bench") + "]}");
            Map<String, String> env = new HashMap<>(local.environmentOf("RefresherFunction"));
            env.putAll(Map.of("CATALOG_FILE", catalog.toString(), "OUTBOUND_ALLOW_LOOPBACK", "true",
                    "REFRESH_WRITE_BUDGET_PER_SECOND", budget, "REFRESH_PARALLELISM", parallelism));
            Config config = Config.from(env);
            AwsClients aws = new AwsClients();
            aws.secrets().createSecret(b -> b.name(SecretsManagerOAuthClients.secretName(config.secretNamePrefix(), "bench"))
                    .secretString("{\"clientId\":\"bench\",\"clientSecret\":\"bench-secret\"}"));
            System.out.printf("Seeding %d due OAuth connections in moto...%n", count);
            seed(count, provider, config, aws);

            provider.latency(Duration.ofMillis(latencyMs));
            // every secret write the refresher's clients send, timed where the SDK sends it
            java.util.concurrent.ConcurrentLinkedQueue<Long> writes = new java.util.concurrent.ConcurrentLinkedQueue<>();
            AwsClients counted = new AwsClients((service, o) -> o.addExecutionInterceptor(
                    new software.amazon.awssdk.core.interceptor.ExecutionInterceptor() {
                        @Override
                        public void beforeTransmission(software.amazon.awssdk.core.interceptor.Context.BeforeTransmission context,
                                                       software.amazon.awssdk.core.interceptor.ExecutionAttributes attributes) {
                            if ("PutSecretValue".equals(attributes.getAttribute(
                                    software.amazon.awssdk.core.interceptor.SdkExecutionAttribute.OPERATION_NAME))) {
                                writes.add(System.nanoTime());
                            }
                        }
                    }));
            Services services = new Services(config, counted, Clock.systemUTC());
            AppCatalog apps = services.catalog();
            TokenRefresher refresher = services.tokenRefresher();
            RefreshRun run = services.refreshRun();
            long deadline = System.nanoTime() + Duration.ofMinutes(15).toNanos();
            long start = System.nanoTime();
            RefreshRun.Summary summary = run.run(() -> Duration.ofNanos(deadline - System.nanoTime()), Duration.ofSeconds(20));
            double seconds = (System.nanoTime() - start) / 1e9;

            System.out.println();
            System.out.println("Refresher benchmark (one invocation, local token endpoint, moto)");
            System.out.println("| figure | value |");
            System.out.println("| --- | --- |");
            System.out.printf("| due connections | %d |%n", count);
            System.out.printf("| provider latency | %d ms |%n", latencyMs);
            System.out.printf("| parallelism / secret-write budget | %s / %s per s |%n", parallelism, budget);
            System.out.printf("| refreshed / failed / busy | %d / %d / %d |%n", summary.refreshed(), summary.failed(), summary.busy());
            System.out.printf("| elapsed | %.1f s |%n", seconds);
            System.out.printf("| refreshes per minute | %.0f |%n", summary.refreshed() / seconds * 60);
            System.out.printf("| peak secret writes in any one-second window, granted by the budget | %d (budget %s) |%n",
                    refresher.writeBudget().peakPerSecond(), budget);
            System.out.printf("| peak PutSecretValue requests in any one-second window, at the SDK | %d |%n", peakInAnySecond(writes));
            System.out.printf("| PutSecretValue requests | %d |%n", writes.size());
            System.out.printf("| token endpoint calls | %d |%n", provider.refreshCalls());
        }
        System.exit(0);
    }

    /** The most events within any one-second window (sliding, not per wall-clock second). */
    static int peakInAnySecond(java.util.Collection<Long> nanos) {
        long[] t = nanos.stream().mapToLong(Long::longValue).sorted().toArray();
        int peak = 0;
        for (int start = 0, end = 0; end < t.length; end++) {
            while (t[end] - t[start] >= 1_000_000_000L) {
                start++;
            }
            peak = Math.max(peak, end - start + 1);
        }
        return peak;
    }

    private static void seed(int count, TokenEndpointStandIn provider, Config config, AwsClients aws) throws Exception {
        seed(count, provider, config, aws, new SecretsManagerVault(aws.secrets(), aws.kms(), config.kmsKeyId(), config.secretNamePrefix()));
    }

    /**
     * {@code count} ACTIVE OAuth connections of app "bench" whose one-hour tokens were issued 55
     * minutes ago (inside their 15-minute lead: due now), their tokens in {@code vault}; their ids.
     */
    static List<String> seed(int count, TokenEndpointStandIn provider, Config config, AwsClients aws,
                             app.connections.vault.Vault vault) throws Exception {
        var store = new DynamoConnectionStore(aws.dynamo(), config.tableName());
        var timing = new Services(config, aws, Clock.systemUTC()).refreshTiming();
        Instant now = Instant.now();
        List<String> ids = java.util.Collections.synchronizedList(new ArrayList<>());
        List<Future<?>> pending = new ArrayList<>();
        try (var pool = Executors.newFixedThreadPool(16)) {
            for (int i = 0; i < count; i++) {
                int n = i;
                pending.add(pool.submit(() -> {
                    Map<String, String> granted = provider.grant("bench-account-" + n);
                    String id = UUID.randomUUID().toString();
                    Connection c = Connection.create(id, "acct-bench", Optional.of("ws-bench"), Scope.WORKSPACE, "bench",
                            "Bench " + n, CredentialKind.OAUTH2, ConnectionStatus.ACTIVE, Map.of(), "bench", now);
                    var ref = vault.create(new SecretOwner("acct-bench", Optional.of("ws-bench"), id, "bench"),
                            new Credential(Map.of("accessToken", granted.get("access_token"),
                                    "refreshToken", granted.get("refresh_token"), "tokenType", "Bearer")));
                    Instant issued = now.minus(Duration.ofMinutes(55));
                    store.create(c.authorized("bench-account-" + n, "bench", ref,
                            timing.granted(Optional.of(issued.plus(Duration.ofHours(1))), true, issued), now));
                    ids.add(id);
                    return null;
                }));
            }
            for (Future<?> f : pending) {
                f.get();
            }
        }
        return new ArrayList<>(ids);
    }
}
