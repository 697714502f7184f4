package app.connections.local.bench;

import app.connections.local.aws.LocalAws;
import app.connections.local.aws.TokenEndpointStandIn;
import app.connections.oauth.aws.SecretsManagerOAuthClients;
import app.connections.platform.Config;
import app.connections.platform.aws.AwsClients;
import app.connections.refresh.RefreshRun;
import app.connections.resolve.ResolveRequest;
import app.connections.resolve.ResolveResult;
import app.connections.resolve.Resolver;
import app.connections.vault.aws.DynamoDbVault;
import app.connections.vault.aws.SecretsManagerVault;
import app.connections.vault.aws.VaultByMode;
import app.connections.wiring.Services;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.SdkResponse;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/**
 * {@code bin/bench} part 5: the two vault modes side by side, measured. In each mode, on a fresh
 * moto: one refresher invocation over 2,000 due OAuth connections (1-hour tokens) at 100 ms provider
 * latency, then one cold resolve (credential cache off) of 200 of them. Every AWS request the
 * service's clients send is counted at the SDK, by operation; DynamoDB capacity units are derived
 * from the items actually written and read (DynamoDB's size rules, the table's indexes as
 * template.yaml declares them). Secrets Manager's own KMS calls on our behalf (one per secret
 * write and per read of a secret under a customer key) are invisible at our SDK and added. From
 * those counts: the monthly cost per 1,000 OAuth connections and the quota use of 1M connections
 * in one cell, with {@link ScaleSimulation}'s prices and quotas. Arguments: [connections] [latencyMillis].
 */
public final class VaultModeBenchmark {
    private VaultModeBenchmark() {
    }

    /** What one mode measured. */
    record Figures(String mode, int refreshed, String notRefreshed, double seconds, Map<String, Double> perRefresh, double wruPerRefresh,
                   double rruPerRefresh, Map<String, Double> perResolve, double rruPerResolve) {
        double perRefresh(String op) {
            return perRefresh.getOrDefault(op, 0.0);
        }

        double of(Map<String, Double> counts, String servicePrefix) {
            return counts.entrySet().stream().filter(e -> e.getKey().startsWith(servicePrefix)).mapToDouble(Map.Entry::getValue).sum();
        }

        ScaleSimulation.PerRefresh asPerRefresh() {
            double smReads = perRefresh("SecretsManager.GetSecretValue");
            double smWrites = perRefresh("SecretsManager.PutSecretValue") + perRefresh("SecretsManager.CreateSecret");
            // Secrets Manager calls KMS with our customer key once per secret value it writes or reads
            double kms = of(perRefresh, "Kms.") + smReads + smWrites;
            return new ScaleSimulation.PerRefresh(mode, smReads, smWrites, kms, wruPerRefresh, rruPerRefresh);
        }
    }

    public static void main(String[] args) throws Exception {
        int count = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
        long latencyMs = args.length > 1 ? Long.parseLong(args[1]) : 100;
        List<Figures> figures = new ArrayList<>();
        for (String mode : new String[] {"SecretsManager", "DynamoDB"}) {
            figures.add(measure(mode, count, latencyMs));
        }
        report(figures, count, latencyMs);
        System.exit(0);
    }

    static Figures measure(String mode, int count, long latencyMs) throws Exception {
        LocalAws local = LocalAws.startFresh();
        try (TokenEndpointStandIn provider = new TokenEndpointStandIn()) {
            Path catalog = Files.createTempFile("bench-catalog", ".json");
            Files.writeString(catalog, "{\"apps\": [" + provider.catalogApp("bench") + "]}");
            Map<String, String> env = new HashMap<>(local.environmentOf("RefresherFunction"));
            env.putAll(Map.of("CATALOG_FILE", catalog.toString(), "OUTBOUND_ALLOW_LOOPBACK", "true", "VAULT_MODE", mode,
                    "CREDENTIAL_CACHE_SECONDS", "0"));
            Config config = Config.from(env);
            AwsClients plain = new AwsClients();
            plain.secrets().createSecret(b -> b.name(SecretsManagerOAuthClients.secretName(config.secretNamePrefix(), "bench"))
                    .secretString("{\"clientId\":\"bench\",\"clientSecret\":\"bench-secret\"}"));
            System.out.printf("%s mode: seeding %d due OAuth connections in moto...%n", mode, count);
            List<String> ids = RefreshBenchmark.seed(count, provider, config, plain, new VaultByMode(
                    new SecretsManagerVault(plain.secrets(), plain.kms(), config.kmsKeyId(), config.secretNamePrefix()),
                    new DynamoDbVault(plain.dynamo(), config.tableName(), plain.kms(), config.kmsKeyId(), Clock.systemUTC()),
                    VaultByMode.parse(config.vaultMode())));
            provider.latency(Duration.ofMillis(latencyMs));

            Counter counter = new Counter();
            AwsClients counted = new AwsClients((service, o) -> o.addExecutionInterceptor(counter));
            Services services = new Services(config, counted, Clock.systemUTC());
            // the OAuth client registration is read once per invocation and cached: read it before counting
            services.tokenRefresher();
            RefreshRun run = services.refreshRun();
            long deadline = System.nanoTime() + Duration.ofMinutes(15).toNanos();
            counter.reset();
            long start = System.nanoTime();
            RefreshRun.Summary summary = run.run(() -> Duration.ofNanos(deadline - System.nanoTime()), Duration.ofSeconds(20));
            double seconds = (System.nanoTime() - start) / 1e9;
            int refreshed = Math.max(1, summary.refreshed());
            Map<String, Double> perRefresh = counter.per(refreshed);
            double wru = counter.wru.sum() / refreshed;
            double rru = counter.rru.sum() / refreshed;

            Resolver resolver = services.resolver();
            int resolves = Math.min(200, ids.size());
            counter.reset();
            for (int i = 0; i < resolves; i++) {
                ResolveResult result = resolver.resolve(new ResolveRequest(ids.get(i), "acct-bench", "ws-bench", "run-bench",
                        "step-" + i, Optional.empty()));
                if (!(result instanceof ResolveResult.Ok)) {
                    throw new IllegalStateException(mode + ": resolve answered " + result);
                }
            }
            String notRefreshed = "failed " + summary.failed() + ", busy " + summary.busy() + ", too soon " + summary.tooSoon()
                    + ", not due " + summary.notDue() + (summary.stoppedEarly() ? ", stopped early" : "");
            return new Figures(mode, summary.refreshed(), notRefreshed, seconds, perRefresh, wru, rru, counter.per(resolves),
                    counter.rru.sum() / resolves);
        }
    }

    static void report(List<Figures> figures, int count, long latencyMs) {
        Figures sm = figures.get(0);
        Figures dd = figures.get(1);
        System.out.println();
        System.out.printf("Vault modes, measured (%d due OAuth connections with 1-hour tokens, %d ms provider latency, moto)%n",
                count, latencyMs);
        System.out.println("| figure | VaultMode=SecretsManager | VaultMode=DynamoDB |");
        System.out.println("| --- | --- | --- |");
        System.out.printf("| refreshed in one invocation | %d in %.1f s | %d in %.1f s |%n", sm.refreshed(), sm.seconds(),
                dd.refreshed(), dd.seconds());
        System.out.printf("| not refreshed | %s | %s |%n", sm.notRefreshed(), dd.notRefreshed());
        System.out.printf("| refreshes per minute | %.0f | %.0f |%n", sm.refreshed() / sm.seconds() * 60, dd.refreshed() / dd.seconds() * 60);
        java.util.TreeSet<String> ops = new java.util.TreeSet<>(sm.perRefresh().keySet());
        ops.addAll(dd.perRefresh().keySet());
        System.out.printf("| AWS requests per refresh | %.2f | %.2f |%n", total(sm.perRefresh()), total(dd.perRefresh()));
        for (String op : ops) {
            System.out.printf("| &nbsp; %s | %.2f | %.2f |%n", op, sm.perRefresh(op), dd.perRefresh(op));
        }
        System.out.printf("| DynamoDB WRU / RRU per refresh (derived, indexes included) | %.1f / %.1f | %.1f / %.1f |%n",
                sm.wruPerRefresh(), sm.rruPerRefresh(), dd.wruPerRefresh(), dd.rruPerRefresh());
        ops = new java.util.TreeSet<>(sm.perResolve().keySet());
        ops.addAll(dd.perResolve().keySet());
        System.out.printf("| AWS requests per resolve (credential cache off) | %.2f | %.2f |%n", total(sm.perResolve()), total(dd.perResolve()));
        for (String op : ops) {
            System.out.printf("| &nbsp; %s | %.2f | %.2f |%n", op, sm.perResolve().getOrDefault(op, 0.0), dd.perResolve().getOrDefault(op, 0.0));
        }

        double refreshesPerSecond = ScaleSimulation.CONNECTIONS / (ScaleSimulation.TOKEN_LIFETIME_S - ScaleSimulation.REFRESH_LEAD_S);
        double refreshesPerMonth = 1_000 * (30 * 24 * 3_600 / (ScaleSimulation.TOKEN_LIFETIME_S - ScaleSimulation.REFRESH_LEAD_S));
        double[] a = ScaleSimulation.cost(sm.asPerRefresh(), refreshesPerMonth, true);
        double[] b = ScaleSimulation.cost(dd.asPerRefresh(), refreshesPerMonth, false);
        System.out.printf("%nMonthly cost per 1,000 OAuth connections, from the counts above (1-hour tokens, refresh only)%n");
        System.out.println("| item | VaultMode=SecretsManager | VaultMode=DynamoDB |");
        System.out.println("| --- | --- | --- |");
        String[] items = {"secrets stored", "Secrets Manager API", "KMS requests (ours, and Secrets Manager's on our behalf)",
            "DynamoDB requests and storage", "Lambda (refresher)", "total"};
        for (int i = 0; i < items.length; i++) {
            System.out.printf("| %s | $%.2f | $%.2f |%n", items[i], a[i], b[i]);
        }
        System.out.printf("%nQuota use of %,d OAuth connections in one cell (%.0f refreshes/s)%n", ScaleSimulation.CONNECTIONS,
                refreshesPerSecond);
        System.out.println("| resource | quota /s | VaultMode=SecretsManager | VaultMode=DynamoDB |");
        System.out.println("| --- | --- | --- | --- |");
        quota("Secrets Manager writes", ScaleSimulation.SECRETS_WRITE_TPS, refreshesPerSecond, sm.asPerRefresh().secretsWrites(),
                dd.asPerRefresh().secretsWrites());
        quota("Secrets Manager GetSecretValue", ScaleSimulation.SECRETS_READ_TPS, refreshesPerSecond,
                sm.asPerRefresh().secretsReads(), dd.asPerRefresh().secretsReads());
        quota("KMS symmetric requests", ScaleSimulation.KMS_SYMMETRIC_TPS, refreshesPerSecond, sm.asPerRefresh().kms(),
                dd.asPerRefresh().kms());
        quota("DynamoDB table writes (WCU, on-demand default)", 40_000, refreshesPerSecond, sm.wruPerRefresh(), dd.wruPerRefresh());
    }

    private static void quota(String name, double quota, double refreshesPerSecond, double a, double b) {
        System.out.printf("| %s | %,.0f | %,.1f/s = %.0f %% | %,.1f/s = %.0f %% |%n", name, quota, refreshesPerSecond * a,
                100 * refreshesPerSecond * a / quota, refreshesPerSecond * b, 100 * refreshesPerSecond * b / quota);
    }

    private static double total(Map<String, Double> perOp) {
        return perOp.values().stream().mapToDouble(Double::doubleValue).sum();
    }

    /**
     * Counts every request by {@code Service.Operation} and derives DynamoDB capacity units from
     * the items: a write costs one WRU per started KB of the item (twice in a transaction), plus the
     * same again for each ALL-projected index the item belongs to and two for a {@code due} index
     * entry (KEYS_ONLY: moved on every refresh); a read costs one RRU per started 4 KB if strongly
     * consistent, half if not. An update is costed by the bytes it writes (key and values), a lower
     * bound: DynamoDB bills the larger of the item before and after.
     */
    static final class Counter implements ExecutionInterceptor {
        private final Map<String, LongAdder> calls = new ConcurrentHashMap<>();
        final DoubleAdder wru = new DoubleAdder();
        final DoubleAdder rru = new DoubleAdder();

        void reset() {
            calls.clear();
            wru.reset();
            rru.reset();
        }

        Map<String, Double> per(int n) {
            Map<String, Double> out = new LinkedHashMap<>();
            calls.forEach((op, c) -> out.put(op, c.sum() / (double) n));
            return out;
        }

        @Override
        public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
            String op = attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME) + "."
                    + attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
            calls.computeIfAbsent(op, k -> new LongAdder()).increment();
            SdkRequest request = context.request();
            SdkResponse response = context.response();
            switch (request) {
                case PutItemRequest put -> wru.add(writeUnits(put.item(), 1));
                case UpdateItemRequest update -> wru.add(updateUnits(update.key(), update.expressionAttributeValues())
                        + indexUnits(update.key()));
                case DeleteItemRequest delete -> wru.add(1);
                case TransactWriteItemsRequest tx -> {
                    for (TransactWriteItem item : tx.transactItems()) {
                        if (item.put() != null) {
                            wru.add(writeUnits(item.put().item(), 2));
                        } else if (item.update() != null) {
                            wru.add(2 * (updateUnits(item.update().key(), item.update().expressionAttributeValues())
                                    + indexUnits(item.update().key())));
                        } else if (item.delete() != null) {
                            wru.add(2);
                        } else {
                            rru.add(1); // a condition check is a read
                        }
                    }
                }
                case GetItemRequest get -> {
                    double units = Math.max(1, Math.ceil(size(((GetItemResponse) response).item()) / 4096.0));
                    rru.add(Boolean.TRUE.equals(get.consistentRead()) ? units : units / 2);
                }
                case QueryRequest query -> {
                    long bytes = ((QueryResponse) response).items().stream().mapToLong(VaultModeBenchmark::size).sum();
                    double units = Math.max(1, Math.ceil(bytes / 4096.0));
                    rru.add(Boolean.TRUE.equals(query.consistentRead()) ? units : units / 2);
                }
                default -> {
                }
            }
        }

        /** An update costs at least the bytes it writes (its key and values), by the started KB. */
        private static double updateUnits(Map<String, AttributeValue> key, Map<String, AttributeValue> values) {
            return Math.max(1, Math.ceil((size(key) + size(values)) / 1024.0));
        }

        /** A connection item's update also rewrites its picker copy (ALL) and moves its due entry (a delete and a put). */
        private static double indexUnits(Map<String, AttributeValue> key) {
            String pk = key.containsKey("pk") && key.get("pk").s() != null ? key.get("pk").s() : "";
            boolean connection = pk.startsWith("CONNECTION#") && "CONNECTION".equals(sk(key));
            if (!connection) {
                return 0;
            }
            // the picker (ALL) and the due entry (KEYS_ONLY, moved: a delete and a put)
            return 1 + 2;
        }

        private static String sk(Map<String, AttributeValue> key) {
            return key.containsKey("sk") && key.get("sk").s() != null ? key.get("sk").s() : "";
        }

        private static double writeUnits(Map<String, AttributeValue> item, int factor) {
            double units = Math.max(1, Math.ceil(size(item) / 1024.0));
            double indexes = 0;
            for (String ix : new String[] {"pickerPk", "attentionPk", "authorizerPk"}) {
                if (item.containsKey(ix)) {
                    indexes += units;
                }
            }
            if (item.containsKey("duePk")) {
                indexes += 2;
            }
            return factor * (units + indexes);
        }
    }

    /** DynamoDB's item size: attribute names plus values (strings as UTF-8, numbers about a byte per two digits). */
    static long size(Map<String, AttributeValue> item) {
        if (item == null) {
            return 0;
        }
        long bytes = 0;
        for (var e : item.entrySet()) {
            bytes += e.getKey().getBytes(StandardCharsets.UTF_8).length + size(e.getValue());
        }
        return bytes;
    }

    private static long size(AttributeValue v) {
        if (v.s() != null) {
            return v.s().getBytes(StandardCharsets.UTF_8).length;
        }
        if (v.n() != null) {
            return v.n().length() / 2 + 1;
        }
        if (v.b() != null) {
            return v.b().asByteArray().length;
        }
        if (v.hasM()) {
            return 3 + size(v.m());
        }
        if (v.hasL()) {
            return 3 + v.l().stream().mapToLong(VaultModeBenchmark::size).sum();
        }
        if (v.hasSs()) {
            return v.ss().stream().mapToLong(x -> x.getBytes(StandardCharsets.UTF_8).length).sum();
        }
        return 1;
    }
}
