package app.connections.functions.resolver;

import static org.assertj.core.api.Assertions.assertThat;

import app.connections.api.lambda.LocalLambdaContext;
import app.connections.connection.Connection;
import app.connections.local.aws.LocalAws;
import app.connections.local.aws.LocalAwsExtension;
import app.connections.platform.Json;
import app.connections.testing.Captured;
import app.connections.testing.OAuthWorld;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A credential whose sealed value no longer opens for its connection (here: another connection's
 * ciphertext copied over it, as a misplaced restore or a tampered record would leave it) is a
 * structured answer for the run, one error line naming the connection and a metric — not a function
 * error with a stack trace, which the runtime would retry forever.
 */
@ExtendWith(LocalAwsExtension.class)
class UnreadableCredentialTest {
    private OAuthWorld world;
    private ResolverHandler handler;

    @BeforeEach
    void setUp(LocalAws local) throws Exception {
        world = new OAuthWorld(local, "ResolverFunction", Map.of());
        handler = new ResolverHandler(world.services.resolver(), world.services.grants());
    }

    @AfterEach
    void tearDown() {
        world.close();
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> resolve(Connection c, String runId) throws Exception {
        Map<String, Object> input = new HashMap<>(Json.MAPPER.readValue(
                Files.readString(world.local.root().resolve("events/resolver/resolve.json")), Map.class));
        input.put("connectionId", c.id());
        input.put("accountId", world.account);
        input.put("workspaceId", world.workspace);
        input.put("runId", runId);
        return handler.handleRequest(input, LocalLambdaContext.of("ResolverFunction"));
    }

    @Test
    void aCiphertextMovedFromAnotherConnectionIsDeniedAsUnreadableWithOneErrorLineAndAMetric() throws Exception {
        Connection victim = world.apiKeyConnection("fd-victim-key", Map.of("subdomain", "acme"));
        Connection other = world.apiKeyConnection("fd-other-key", Map.of("subdomain", "globex"));
        var secrets = world.local.clients().secrets();
        String othersCiphertext = secrets.getSecretValue(b -> b.secretId(other.secretRef().orElseThrow().id())).secretString();
        secrets.putSecretValue(b -> b.secretId(victim.secretRef().orElseThrow().id()).secretString(othersCiphertext));

        @SuppressWarnings("unchecked")
        Map<String, Object>[] result = new Map[1];
        Captured run = Captured.during(() -> result[0] = resolve(victim, "run-unreadable"));

        assertThat(result[0]).isEqualTo(Map.of("status", "denied", "reason", "credential_unreadable"));
        List<JsonNode> errors = run.logs().stream().filter(l -> l.path("level").asText().equals("ERROR")).toList();
        assertThat(errors).singleElement().satisfies(line -> {
            assertThat(line.path("connectionId").asText()).isEqualTo(victim.id());
            assertThat(line.has("error")).as("no stack trace").isFalse();
            assertThat(line.path("message").asText()).contains("does not open");
        });
        assertThat(run.lines.toString()).doesNotContain("fd-victim-key").doesNotContain("fd-other-key");
        assertThat(run.metric("CredentialUnreadable")).singleElement().satisfies(p -> {
            assertThat(p.dimension("app")).isEqualTo("freshdesk");
            assertThat(p.sum("CredentialUnreadable")).isEqualTo(1);
        });
        assertThat(world.reload(victim)).as("nothing changed: it is our storage, not the user's key").isEqualTo(victim);
        assertThat(resolve(other, "run-other")).containsEntry("status", "ok");
    }
}
