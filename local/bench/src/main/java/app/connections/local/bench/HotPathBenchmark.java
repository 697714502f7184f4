package app.connections.local.bench;

import app.connections.api.lambda.HttpApi;
import app.connections.api.lambda.LocalLambdaContext;
import app.connections.catalog.AppCatalog;
import app.connections.connection.Connection;
import app.connections.connection.ConnectionStatus;
import app.connections.catalog.CredentialKind;
import app.connections.connection.Scope;
import app.connections.connection.aws.DynamoConnectionStore;
import app.connections.connection.http.ConnectionRoutes;
import app.connections.local.aws.LocalAws;
import app.connections.platform.Config;
import app.connections.platform.Json;
import app.connections.platform.aws.AwsClients;
import app.connections.wiring.Services;
import app.connections.resolve.ResolveRequest;
import app.connections.resolve.ResolveResult;
import app.connections.resolve.Resolver;
import app.connections.vault.Credential;
import app.connections.vault.SecretOwner;
import app.connections.vault.aws.SecretsManagerVault;
import app.connections.workspace.Workspace;
import app.connections.workspace.aws.DynamoWorkspaceRegistry;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The hot paths, warm: the builder's picker over a workspace with 1,000 connections (handler
 * overhead = time in our code, i.e. the invocation minus the wait for DynamoDB's answer; Queries
 * per page), and the resolver over a 100-step run (AWS requests per resolve, with and without the
 * credential cache). Same code as the handlers: {@code HttpApi} with the function's routes.
 */
public final class HotPathBenchmark {
    static final int CONNECTIONS = 1_000;
    static final int WARMUP = 300;
    static final int MEASURED = 500;

    private HotPathBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        LocalAws local = LocalAws.startFresh();
        picker(local);
        resolver(local);
        System.exit(0);
    }

    static void picker(LocalAws local) throws Exception {
        Map<String, String> env = new HashMap<>(local.environmentOf("ConnectionsFunction"));
        Config config = Config.from(env);
        AwsClients aws = new AwsClients();
        Services services = new Services(config, aws, Clock.systemUTC());
        new DynamoWorkspaceRegistry(aws.dynamo(), config.tableName()).put(new Workspace("ws-acme", "acct-demo", "Acme"));
        DynamoConnectionStore store = new DynamoConnectionStore(aws.dynamo(), config.tableName());
        Instant now = Instant.now();
        System.out.printf("Seeding %d Freshdesk API-key connections in one workspace...%n", CONNECTIONS);
        for (int i = 0; i < CONNECTIONS; i++) {
            store.create(Connection.create(UUID.randomUUID().toString(), "acct-demo", Optional.of("ws-acme"), Scope.WORKSPACE,
                    "freshdesk", "Freshdesk " + i, CredentialKind.API_KEY, ConnectionStatus.ACTIVE, Map.of("subdomain", "acme"),
                    "bench", now));
        }
        AppCatalog catalog = services.catalog();
        var routes = ConnectionRoutes.of(services.connections(), catalog, services.alerts());
        byte[] event = Files.readAllBytes(local.root().resolve("events/connections/picker.json"));
        var serializer = LambdaEventSerializers.serializerFor(APIGatewayV2HTTPEvent.class, HotPathBenchmark.class.getClassLoader());
        LocalLambdaContext context = new LocalLambdaContext("ConnectionsFunction", "bench", Long.MAX_VALUE);

        // each request still logs its line as in Lambda (formatting included in the figures), into a sink
        java.io.PrintStream console = System.out;
        System.setOut(new java.io.PrintStream(java.io.OutputStream.nullOutputStream()));
        java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
        for (int i = 0; i < WARMUP; i++) {
            HttpApi.handle(serializer.fromJson(new ByteArrayInputStream(event)), context, routes);
        }
        long[] overhead = new long[MEASURED];
        long[] cpu = new long[MEASURED];
        long[] total = new long[MEASURED];
        long queriesBefore = AwsTime.calls("DynamoDb.Query");
        long callsBefore = AwsTime.totalCalls();
        int items = 0;
        for (int i = 0; i < MEASURED; i++) {
            APIGatewayV2HTTPEvent input = serializer.fromJson(new ByteArrayInputStream(event));
            long waited = AwsTime.waitedNanos();
            long cpuStart = threads.getCurrentThreadCpuTime();
            long start = System.nanoTime();
            APIGatewayV2HTTPResponse response = HttpApi.handle(input, context, routes);
            total[i] = System.nanoTime() - start;
            cpu[i] = threads.getCurrentThreadCpuTime() - cpuStart;
            overhead[i] = total[i] - (AwsTime.waitedNanos() - waited);
            if (i == 0) {
                if (response.getStatusCode() != 200) {
                    throw new IllegalStateException("picker answered " + response.getStatusCode());
                }
                items = Json.MAPPER.readTree(response.getBody()).path("connections").size();
            }
        }
        System.setOut(console);
        long queries = AwsTime.calls("DynamoDb.Query") - queriesBefore;
        long calls = AwsTime.totalCalls() - callsBefore;
        System.out.println();
        System.out.printf("Picker, warm, %d connections in the workspace, first page (%d items), %d invocations after %d warm-up%n",
                CONNECTIONS, items, MEASURED, WARMUP);
        System.out.println("| figure | p50 | p99 |");
        System.out.println("| --- | --- | --- |");
        System.out.printf("| handler overhead: CPU time of the invocation (our code, the SDK's marshalling and parsing, the log line) | %.2f ms | %.2f ms |%n",
                pct(cpu, 50), pct(cpu, 99));
        System.out.printf("| invocation minus the time to DynamoDB's response headers (includes reading moto's body) | %.2f ms | %.2f ms |%n",
                pct(overhead, 50), pct(overhead, 99));
        System.out.printf("| whole invocation against moto | %.2f ms | %.2f ms |%n", pct(total, 50), pct(total, 99));
        System.out.printf("| AWS requests per page | %.2f (Query: %.2f) | target: 1 Query, p99 overhead <= 5 ms |%n",
                (double) calls / MEASURED, (double) queries / MEASURED);
    }

    static void resolver(LocalAws local) throws Exception {
        Map<String, String> env = new HashMap<>(local.environmentOf("ResolverFunction"));
        System.out.println();
        System.out.println("Resolver, a run of 100 steps resolving one API-key connection");
        System.out.println("| credential cache | AWS requests per resolve | Secrets Manager reads per run | KMS decrypts per run |");
        System.out.println("| --- | --- | --- | --- |");
        for (String ttl : new String[] {"0", "60"}) {
            env.put("CREDENTIAL_CACHE_SECONDS", ttl);
            Config config = Config.from(env);
            AwsClients aws = new AwsClients();
            Services services = new Services(config, aws, Clock.systemUTC());
            String id = UUID.randomUUID().toString();
            Instant now = Instant.now();
            var vault = new SecretsManagerVault(aws.secrets(), aws.kms(), config.kmsKeyId(), config.secretNamePrefix());
            var ref = vault.create(new SecretOwner("acct-demo", Optional.of("ws-acme"), id, "freshdesk"),
                    new Credential(Map.of("apiKey", "bench-key")));
            new DynamoConnectionStore(aws.dynamo(), config.tableName()).create(Connection.create(id, "acct-demo",
                    Optional.of("ws-acme"), Scope.WORKSPACE, "freshdesk", "Resolve bench " + ttl, CredentialKind.API_KEY,
                    ConnectionStatus.ACTIVE, Map.of("subdomain", "acme"), "bench", now)
                    .withCredential(Map.of("subdomain", "acme"), ref, "bench-fingerprint-" + ttl, now));
            Resolver resolver = services.resolver();
            long calls = AwsTime.totalCalls();
            long reads = AwsTime.calls("SecretsManager.GetSecretValue");
            long decrypts = AwsTime.calls("Kms.Decrypt");
            for (int step = 0; step < 100; step++) {
                ResolveResult result = resolver.resolve(new ResolveRequest(id, "acct-demo", "ws-acme", "run-bench", "step-" + step,
                        Optional.empty()));
                if (!(result instanceof ResolveResult.Ok)) {
                    throw new IllegalStateException("resolve answered " + result);
                }
            }
            System.out.printf("| %s | %.2f | %d | %d |%n", ttl.equals("0") ? "off" : ttl + " s",
                    (AwsTime.totalCalls() - calls) / 100.0, AwsTime.calls("SecretsManager.GetSecretValue") - reads,
                    AwsTime.calls("Kms.Decrypt") - decrypts);
        }
    }

    private static double pct(long[] nanos, int p) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1)] / 1e6;
    }
}
