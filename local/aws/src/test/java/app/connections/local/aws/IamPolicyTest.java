package app.connections.local.aws;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What the functions' IAM policies in template.yaml let them do to secrets (moto does not enforce
 * IAM, so this reads the template): none may change or delete our OAuth client registrations
 * ({@code <prefix>/oauth-apps/*}), none may delete a secret without its recovery window, and
 * connection secrets are written only when they carry the vault's tags.
 *
 * <p>The reading is conservative: an Allow with a condition counts as allowing (a condition can be
 * met), a Deny counts only without one, and a resource pattern is matched literally with {@code *}.
 */
class IamPolicyTest {
    static final String PREFIX = "arn:${AWS::Partition}:secretsmanager:${AWS::Region}:${AWS::AccountId}:secret:${SecretNamePrefix}";
    static final String OAUTH_APP = PREFIX + "/oauth-apps/demo-AbCdEf";
    static final String CONNECTION_SECRET = PREFIX + "/acct-1/3f1c2b9a-0000-4000-8000-000000000001-AbCdEf";
    /** Every Secrets Manager action that changes or deletes a secret, its value, tags, policy or replicas. */
    static final List<String> WRITES = List.of("CreateSecret", "PutSecretValue", "UpdateSecret", "DeleteSecret", "RestoreSecret",
            "TagResource", "UntagResource", "UpdateSecretVersionStage", "RotateSecret", "CancelRotateSecret", "PutResourcePolicy",
            "DeleteResourcePolicy", "ReplicateSecretToRegions", "RemoveRegionsFromReplication", "StopReplicationToReplica");

    static Template template;

    @BeforeAll
    static void read() {
        Path dir = Path.of("").toAbsolutePath();
        while (!Files.exists(dir.resolve("template.yaml"))) {
            dir = dir.getParent();
        }
        template = Template.load(dir.resolve("template.yaml"));
    }

    record Statement(String effect, List<String> actions, List<String> resources, Map<String, Object> condition) {
        boolean covers(String action, String resource) {
            return actions.stream().anyMatch(a -> glob(a).matcher("secretsmanager:" + action).matches())
                    && resources.stream().anyMatch(r -> glob(r).matcher(resource).matches());
        }
    }

    /** The function's inline policy statements; anything else (a managed policy, a SAM template) fails the test. */
    static List<Statement> statements(Map<String, Object> properties) {
        List<Statement> out = new ArrayList<>();
        Object policies = properties.get("Policies");
        if (policies == null) {
            return out;
        }
        for (Object policy : (List<?>) policies) {
            assertThat(policy).as("a policy this test can read (inline statements)").isInstanceOf(Map.class);
            for (Object s : (List<?>) Template.asMap(policy).get("Statement")) {
                Map<String, Object> st = Template.asMap(s);
                out.add(new Statement((String) st.get("Effect"), strings(st.get("Action")), strings(st.get("Resource")),
                        st.get("Condition") == null ? Map.of() : Template.asMap(st.get("Condition"))));
            }
        }
        return out;
    }

    private static List<String> strings(Object value) {
        if (value instanceof List<?> list) {
            return list.stream().flatMap(v -> strings(v).stream()).toList();
        }
        if (value instanceof Map<?, ?> fn) {
            Object sub = fn.get("Fn::Sub");
            return sub instanceof String text ? List.of(text) : List.of("<" + fn.keySet() + ">"); // GetAtt/Ref: a key or table, never a secret
        }
        return List.of(String.valueOf(value));
    }

    private static Pattern glob(String pattern) {
        StringBuilder regex = new StringBuilder();
        for (char c : pattern.toCharArray()) {
            regex.append(c == '*' ? ".*" : c == '?' ? "." : Pattern.quote(String.valueOf(c)));
        }
        return Pattern.compile(regex.toString());
    }

    /** Whether the statements may let {@code action} on {@code resource} through. */
    static boolean mayDo(List<Statement> statements, String action, String resource) {
        boolean allowed = statements.stream().anyMatch(s -> s.effect().equals("Allow") && s.covers(action, resource));
        boolean denied = statements.stream().anyMatch(s -> s.effect().equals("Deny") && s.condition().isEmpty()
                && s.covers(action, resource));
        return allowed && !denied;
    }

    /** Whether a Deny of DeleteSecret with ForceDeleteWithoutRecovery covers {@code resource}. */
    static boolean forceDeletionDenied(List<Statement> statements, String resource) {
        return statements.stream().anyMatch(s -> s.effect().equals("Deny") && s.covers("DeleteSecret", resource)
                && s.condition().get("Bool") instanceof Map<?, ?> bool
                && "true".equals(String.valueOf(bool.get("secretsmanager:ForceDeleteWithoutRecovery"))));
    }

    private static Map<String, List<Statement>> functions() {
        Map<String, List<Statement>> out = new java.util.LinkedHashMap<>();
        template.resources().values().stream().filter(r -> r.type().equals("AWS::Serverless::Function"))
                .forEach(r -> out.put(r.logicalId(), statements(r.properties())));
        assertThat(out).as("the template's functions").hasSizeGreaterThanOrEqualTo(8);
        return out;
    }

    @Test
    void noFunctionMayChangeOrDeleteAnOAuthClientRegistration() {
        functions().forEach((function, statements) -> {
            for (String action : WRITES) {
                assertThat(mayDo(statements, action, OAUTH_APP)).as(function + " " + action + " on oauth-apps/*").isFalse();
            }
        });
    }

    @Test
    void theOAuthFunctionStillReadsTheRegistrationsAndWritesConnectionSecrets() {
        List<Statement> oauth = functions().get("OAuthFunction");

        assertThat(mayDo(oauth, "GetSecretValue", OAUTH_APP)).isTrue();
        assertThat(mayDo(oauth, "CreateSecret", CONNECTION_SECRET)).isTrue();
        assertThat(mayDo(oauth, "PutSecretValue", CONNECTION_SECRET)).isTrue();
    }

    @Test
    void everyFunctionThatMayDeleteASecretIsDeniedDeletingItWithoutRecovery() {
        int deleters = 0;
        for (var e : functions().entrySet()) {
            if (mayDo(e.getValue(), "DeleteSecret", CONNECTION_SECRET)) {
                deleters++;
                assertThat(forceDeletionDenied(e.getValue(), CONNECTION_SECRET)).as(e.getKey()).isTrue();
            }
        }
        assertThat(deleters).as("the revoking functions delete secrets").isPositive();
    }

    @Test
    void connectionSecretsAreCreatedAndWrittenOnlyWithTheVaultsTags() {
        functions().forEach((function, statements) -> statements.stream()
                .filter(s -> s.effect().equals("Allow") && s.resources().stream().anyMatch(r -> r.startsWith(PREFIX)))
                .forEach(s -> {
                    for (String action : s.actions()) {
                        String name = action.substring(action.indexOf(':') + 1);
                        if (name.equals("CreateSecret") || name.equals("TagResource")) {
                            assertThat(s.condition()).as(function + " " + name).containsKey("Null");
                            assertThat(Template.asMap(s.condition().get("Null")))
                                    .containsEntry("aws:RequestTag/connections:connection", "false");
                        } else if (WRITES.contains(name)) {
                            assertThat(s.condition()).as(function + " " + name).containsKey("Null");
                            assertThat(Template.asMap(s.condition().get("Null")))
                                    .containsEntry("aws:ResourceTag/connections:connection", "false");
                        }
                    }
                }));
    }

    @Test
    void theCheckCatchesThePolicyTheFunctionsHadBefore() {
        // the statement five functions had: writes on <prefix>/*, no deny, no condition
        List<Statement> before = List.of(new Statement("Allow", List.of("secretsmanager:PutSecretValue", "secretsmanager:DeleteSecret"),
                List.of(PREFIX + "/*"), Map.of()));

        assertThat(mayDo(before, "PutSecretValue", OAUTH_APP)).isTrue();
        assertThat(mayDo(before, "DeleteSecret", OAUTH_APP)).isTrue();
        assertThat(forceDeletionDenied(before, CONNECTION_SECRET)).isFalse();
        assertThat(mayDo(List.of(new Statement("Allow", List.of("secretsmanager:*"), List.of("*"), Map.of())),
                "UpdateSecret", OAUTH_APP)).as("wildcards").isTrue();
    }
}
