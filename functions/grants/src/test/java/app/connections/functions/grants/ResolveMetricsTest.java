package app.connections.functions.grants;

import static org.assertj.core.api.Assertions.assertThat;

import app.connections.api.lambda.LambdaLogContext;
import app.connections.api.lambda.LocalLambdaContext;
import app.connections.catalog.CredentialKind;
import app.connections.connection.Connection;
import app.connections.connection.ConnectionStatus;
import app.connections.connection.Scope;
import app.connections.local.aws.LocalAws;
import app.connections.local.aws.LocalAwsExtension;
import app.connections.resolve.ResolveRequest;
import app.connections.testing.Captured;
import app.connections.testing.OAuthWorld;
import app.connections.vault.Credential;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** A resolve's and a cap hit's EMF metrics and log line, read back from standard output. */
@ExtendWith(LocalAwsExtension.class)
class ResolveMetricsTest {
    private OAuthWorld world;
    private Connection openai;

    @BeforeEach
    void setUp(LocalAws local) {
        try {
            world = new OAuthWorld(local, "ResolverFunction", Map.of());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        var now = world.clock.instant();
        Connection c = Connection.create(UUID.randomUUID().toString(), world.account, Optional.empty(), Scope.ACCOUNT, "openai",
                "Agency OpenAI", CredentialKind.API_KEY, ConnectionStatus.ACTIVE, Map.of(), "owner", now);
        var ref = world.vault.create(OAuthWorld.owner(c), new Credential(Map.of("apiKey", "sk-metrics")));
        openai = world.store.create(c.withCredential(Map.of(), ref, "hmac:" + c.id(), now));
        world.services.grants().grant(new app.connections.auth.BuilderUser("owner", world.account,
                app.connections.auth.AccountRole.ADMIN, Map.of()), world.account, openai.id(), world.workspace, Optional.of(1_000_000L));
    }

    @AfterEach
    void tearDown() {
        world.store.find(openai.id()).ifPresent(c -> world.store.update(c.revoked("test", world.clock.instant())));
        world.close();
    }

    private Captured resolve(String runId, double estimateUsd) throws Exception {
        Map<String, Object> input = Map.of("connectionId", openai.id(), "accountId", world.account, "workspaceId", world.workspace,
                "runId", runId, "stepId", "llm", "estimatedCostUsd", estimateUsd);
        return Captured.during(() -> LambdaLogContext.with(LocalLambdaContext.of("ResolverFunction"), runId,
                () -> world.services.resolver().resolve(ResolveRequest.parse(input).orElseThrow())));
    }

    @Test
    void aResolveCountsItsOutcomeAndReservationAndItsLogLineFollowsTheRun() throws Exception {
        Captured ok = resolve("run-ok", 0.5);

        assertThat(ok.metric("Resolves")).singleElement().satisfies(p -> {
            assertThat(p.dimension("outcome")).isEqualTo("ok");
            assertThat(p.dimensionSets()).containsExactly(List.of("Service"), List.of("Service", "outcome"));
            assertThat(p.sum("Resolves")).isEqualTo(1);
        });
        assertThat(ok.metric("SpendReservations")).singleElement().satisfies(p -> assertThat(p.dimension("outcome")).isEqualTo("reserved"));
        assertThat(ok.metric("SpendCapReached")).isEmpty();
        JsonNode line = ok.logs().stream().filter(l -> l.path("message").asText().equals("resolve")).findFirst().orElseThrow();
        assertThat(line.path("correlation_id").asText()).isEqualTo("run-ok");
        assertThat(line.path("connectionId").asText()).isEqualTo(openai.id());
        assertThat(line.path("accountId").asText()).isEqualTo(world.account);
        assertThat(line.path("workspaceId").asText()).isEqualTo(world.workspace);
        assertThat(line.path("runId").asText()).isEqualTo("run-ok");
        assertThat(line.path("stepId").asText()).isEqualTo("llm");
        assertThat(line.path("outcome").asText()).isEqualTo("ok");
        assertThat(ok.lines.toString()).doesNotContain("sk-metrics");
    }

    @Test
    void aCapHitCountsTheDeniedResolveTheReservationOutcomeAndTheCap() throws Exception {
        resolve("run-1", 0.9);
        Captured capped = resolve("run-2", 0.5);

        assertThat(capped.metric("Resolves")).singleElement()
                .satisfies(p -> assertThat(p.dimension("outcome")).isEqualTo("denied:spend_cap_reached"));
        assertThat(capped.metric("SpendReservations")).singleElement()
                .satisfies(p -> assertThat(p.dimension("outcome")).isEqualTo("cap_reached"));
        assertThat(capped.metric("SpendCapReached")).singleElement().satisfies(p -> {
            assertThat(p.dimension("app")).isEqualTo("openai");
            assertThat(p.dimensionSets()).containsExactly(List.of("Service"), List.of("Service", "app"));
            assertThat(p.line().toString()).doesNotContain(openai.id()).doesNotContain(world.account);
        });
    }
}
