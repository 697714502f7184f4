package app.connections.functions.refresher;

import static org.assertj.core.api.Assertions.assertThat;

import app.connections.api.lambda.LocalLambdaContext;
import app.connections.connection.Connection;
import app.connections.local.aws.LocalAws;
import app.connections.local.aws.LocalAwsExtension;
import app.connections.refresh.RefreshRun;
import app.connections.resolve.ResolveRequest;
import app.connections.resolve.ResolveResult;
import app.connections.resolve.Resolver;
import app.connections.testing.OAuthWorld;
import app.connections.vault.SecretRef;
import app.connections.vault.Vault;
import app.connections.vault.aws.VaultByMode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The vault's maintenance tasks, as an operator invokes them (MaintenanceHandler): moving every
 * credential from Secrets Manager to the DynamoDB table while a refresher runs and resolves happen,
 * stopped half-way and resumed, and re-sealing every credential under the key the alias names now.
 */
@ExtendWith(LocalAwsExtension.class)
class VaultMaintenanceTest {
    /** Of every kind (API keys, OAuth tokens due and not due), as many as the issue asks to move under traffic. */
    private static final int CONNECTIONS = 500;
    private OAuthWorld world;
    private MaintenanceHandler handler;

    @BeforeEach
    void setUp(LocalAws local) throws Exception {
        world = new OAuthWorld(local, "MaintenanceFunction", Map.of());
        handler = new MaintenanceHandler(world.services.vaultMaintenance());
    }

    @AfterEach
    void tearDown() {
        world.close();
    }

    /** Half API keys, half OAuth connections (some due for a refresh), all in Secrets Manager. */
    private List<Connection> seed() throws Exception {
        List<Connection> made = Collections.synchronizedList(new ArrayList<>());
        try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
            List<Future<?>> pending = new ArrayList<>();
            for (int i = 0; i < CONNECTIONS; i++) {
                int n = i;
                pending.add(pool.submit(() -> made.add(n % 2 == 0
                        ? world.apiKeyConnection("fd-key-" + n, Map.of("subdomain", "acme"))
                        : world.oauthConnection("acct-" + n, n % 3 == 0 ? Duration.ofMinutes(5) : Duration.ofHours(2)))));
            }
            for (Future<?> f : pending) {
                f.get();
            }
        }
        return made;
    }

    private Map<String, Object> invoke(Map<String, Object> input, long millis) {
        return handler.handleRequest(input, LocalLambdaContext.of("MaintenanceFunction", millis));
    }

    private boolean resolves(Resolver resolver, Connection c) {
        ResolveResult r = resolver.resolve(new ResolveRequest(c.id(), world.account, world.workspace, "run-m", "step-1", Optional.empty()));
        return r instanceof ResolveResult.Ok;
    }

    @Test
    void everyCredentialMovesToDynamoDbWhileRefreshesAndResolvesRunAndAStopHalfWayResumes() throws Exception {
        List<Connection> connections = seed();
        Resolver resolver = world.services.resolver();
        assertThat(connections).allSatisfy(c -> assertThat(resolves(resolver, c)).as("before").isTrue());

        // while it moves: the scheduled refresher and the runtime keep working
        AtomicBoolean moving = new AtomicBoolean(true);
        AtomicInteger resolved = new AtomicInteger();
        List<String> failures = Collections.synchronizedList(new ArrayList<>());
        ExecutorService traffic = Executors.newFixedThreadPool(3);
        RefreshRun run = world.services.refreshRun();
        traffic.submit(() -> {
            while (moving.get()) {
                run.run(() -> Duration.ofMinutes(5), Duration.ofSeconds(20));
                Thread.sleep(2_000);
            }
            return null;
        });
        for (int t = 0; t < 2; t++) {
            int offset = t;
            traffic.submit(() -> {
                for (int i = offset; moving.get(); i = (i + 7) % connections.size()) {
                    Connection c = connections.get(i);
                    if (resolves(resolver, c)) {
                        resolved.incrementAndGet();
                    } else {
                        failures.add(c.id());
                    }
                    Thread.sleep(20); // a runtime's pace, not a load test
                }
                return null;
            });
        }

        // a first invocation with too little time: it stops part-way and says where
        Map<String, Object> first = invoke(Map.of("task", "move", "to", "DynamoDB"), 31_000);
        Map<String, Object> last = first;
        for (int i = 0; i < 20 && !Boolean.TRUE.equals(last.get("done")); i++) {
            Map<String, Object> again = new java.util.HashMap<>(Map.of("task", "move", "to", "DynamoDB"));
            if (last.get("nextToken") != null) {
                again.put("nextToken", last.get("nextToken"));
            }
            last = invoke(again, 600_000);
        }
        moving.set(false);
        traffic.shutdown();
        assertThat(traffic.awaitTermination(2, java.util.concurrent.TimeUnit.MINUTES)).isTrue();

        assertThat(first.get("done")).as(first.toString()).isEqualTo(false);
        assertThat(last.get("done")).as(last.toString()).isEqualTo(true);
        assertThat(failures).as("every resolve during the move handed out a credential").isEmpty();
        assertThat(resolved.get()).isPositive();
        for (Connection c : connections) {
            Connection now = world.reload(c);
            SecretRef ref = now.secretRef().orElseThrow();
            assertThat(VaultByMode.storedIn(ref, Vault.Store.DYNAMODB)).as(c.id()).isTrue();
            assertThat(resolves(resolver, now)).as("after").isTrue();
            // nothing left behind: the old secret is in its recovery window
            assertThat(world.local.clients().secrets().describeSecret(b -> b.secretId(c.secretRef().orElseThrow().id())).deletedDate())
                    .as("the old secret of " + c.id()).isNotNull();
        }
        Map<String, Object> once = invoke(Map.of("task", "move", "to", "DynamoDB"), 600_000);
        assertThat(once).containsEntry("changed", 0).containsEntry("done", true);
    }

    @Test
    void resealingWritesEveryCredentialAgainUnderTheKeyTheAliasNamesNow() throws Exception {
        var kms = world.local.clients().kms();
        Connection key = world.apiKeyConnection("fd-key-reseal", Map.of("subdomain", "acme"));
        Connection oauth = world.oauthConnection("acct-reseal", Duration.ofHours(2));
        String oldKey = kms.describeKey(b -> b.keyId(world.config.kmsKeyId())).keyMetadata().arn();
        String newKey = kms.createKey(b -> b.description("emergency replacement")).keyMetadata().arn();
        kms.updateAlias(b -> b.aliasName(world.config.kmsKeyId()).targetKeyId(newKey));
        try {
            Map<String, Object> result = invoke(Map.of("task", "reseal"), 600_000);

            assertThat(result.get("failed")).isEqualTo(0);
            for (Connection c : List.of(key, oauth)) {
                String sealed = world.local.clients().secrets().getSecretValue(b -> b.secretId(c.secretRef().orElseThrow().id()))
                        .secretString();
                String dataKey = app.connections.platform.Json.MAPPER.readTree(sealed).path("key").asText();
                String sealedUnder = kms.decrypt(b -> b.ciphertextBlob(software.amazon.awssdk.core.SdkBytes.fromByteArray(
                        java.util.Base64.getDecoder().decode(dataKey))).encryptionContext(Map.of(
                        "accountId", c.accountId(), "purpose", "connection-credentials"))).keyId(); // sealing format 2
                assertThat(sealedUnder).as("the data key now belongs to the new key").isEqualTo(newKey);
                assertThat(resolves(world.services.resolver(), world.reload(c))).isTrue();
            }
        } finally {
            kms.updateAlias(b -> b.aliasName(world.config.kmsKeyId()).targetKeyId(oldKey));
        }
    }
}
