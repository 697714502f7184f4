package app.connections.local.aws;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndexDescription;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;

@ExtendWith(LocalAwsExtension.class)
class TemplateTest {

    @Test
    void everyFunctionIsAJava21ModuleThatSamBuildsWithTheRootMakefile(LocalAws local) throws Exception {
        String makefile = Files.readString(local.root().resolve("Makefile"));
        for (Template.Function f : local.template().functions()) {
            assertThat(f.codeUri()).as(f.logicalId()).matches("^functions/[a-z-]+$");
            assertThat(Files.exists(local.root().resolve(f.codeUri()).resolve("pom.xml"))).as(f.codeUri()).isTrue();
            assertThat(f.jar()).isEqualTo(f.codeUri() + "/target/function.jar");
            assertThat(f.handler()).as(f.logicalId()).matches("^app\\.connections\\.functions\\.[a-z]+\\.[A-Za-z]+::handleRequest$");
            assertThat(local.template().metadataOf(f.logicalId())).as(f.logicalId())
                    .containsEntry("BuildMethod", "makefile").containsEntry("ContextPath", ".").containsEntry("WorkingDirectory", ".");
        }
        assertThat(makefile).contains("build-%:");
    }

    @Test
    void noDeployedFunctionMayCallProvidersOnLoopbackOrOverPlainHttp(LocalAws local) throws Exception {
        // the local stack sets OUTBOUND_ALLOW_LOOPBACK for its stand-in providers; a deployed stack never does
        assertThat(Files.readString(local.root().resolve("template.yaml"))).doesNotContain("OUTBOUND_ALLOW_LOOPBACK");
        for (Template.Function f : local.template().functions()) {
            assertThat(f.environment()).as(f.logicalId()).doesNotContainKey("OUTBOUND_ALLOW_LOOPBACK");
        }
    }

    @Test
    void timeoutsAndSchedulesAreReadFromTheTemplate(LocalAws local) {
        Template.Function refresher = local.function("RefresherFunction");
        Template.Function workspaces = local.function("WorkspacesFunction");

        assertThat(refresher.timeoutSeconds()).isEqualTo(300);
        assertThat(workspaces.timeoutSeconds()).isEqualTo(20); // the Globals'
        assertThat(refresher.scheduleEvents()).singleElement().satisfies(e -> {
            assertThat(e.eventName()).isEqualTo("RefreshSchedule");
            assertThat(e.enabled()).isTrue();
            assertThat(e.rate()).contains(java.time.Duration.ofMinutes(5));
        });
        assertThat(workspaces.scheduleEvents()).isEmpty();
    }

    @Test
    void rateExpressionsOfEveryUnitAndCronWhichHasNoRate() {
        assertThat(new Template.ScheduleEvent("e", "rate(1 minute)", true).rate()).contains(java.time.Duration.ofMinutes(1));
        assertThat(new Template.ScheduleEvent("e", "rate(2 hours)", true).rate()).contains(java.time.Duration.ofHours(2));
        assertThat(new Template.ScheduleEvent("e", "rate(1 day)", true).rate()).contains(java.time.Duration.ofDays(1));
        assertThat(new Template.ScheduleEvent("e", "cron(0 12 * * ? *)", true).rate()).isEmpty();
    }

    @Test
    void functionEnvironmentsResolveAgainstTheLocalStack(LocalAws local) {
        Template.Function first = local.template().functions().get(0);
        Map<String, String> env = local.environmentOf(first.logicalId());

        assertThat(env.get("TABLE_NAME")).isEqualTo(local.stack().table());
        assertThat(env).as("only the outbox function publishes").doesNotContainKey("EVENT_BUS_NAME");
        assertThat(local.environmentOf("OutboxFunction").get("EVENT_BUS_NAME")).isEqualTo(local.stack().eventBus());
        assertThat(env.get("KMS_KEY_ID")).isEqualTo(local.stack().kmsKeyAlias()).startsWith("alias/");
    }

    @Test
    void theLocalTableHasTheTemplatesKeysAndIndexes(LocalAws local) {
        Template.Resource table = local.template().resources().values().stream()
                .filter(r -> r.type().equals("AWS::DynamoDB::Table")).findFirst().orElseThrow();
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> gsis = (List<Map<String, Object>>) table.properties().get("GlobalSecondaryIndexes");

        var described = local.clients().dynamo().describeTable(b -> b.tableName(local.stack().table())).table();

        assertThat(described.keySchema()).extracting(KeySchemaElement::attributeName).containsExactly("pk", "sk");
        assertThat(described.globalSecondaryIndexes()).extracting(GlobalSecondaryIndexDescription::indexName)
                .containsExactlyInAnyOrderElementsOf(gsis.stream().map(g -> (String) g.get("IndexName")).toList());
    }

    @Test
    void bothUserPoolsCarryTheirCustomAttributes(LocalAws local) {
        var cognito = local.clients().cognito();
        for (var pool : local.stack().userPools().values()) {
            var attributes = cognito.describeUserPool(b -> b.userPoolId(pool.userPoolId())).userPool().schemaAttributes();
            assertThat(attributes).anySatisfy(a -> assertThat(a.name()).isEqualTo("custom:account_id"));
        }
        assertThat(local.stack().userPools()).hasSize(2);
    }

    @Test
    void everyRouteIsGuardedByAJwtAuthorizerUnlessItSaysOtherwise(LocalAws local) {
        Template.HttpApiAuth auth = local.template().httpApiAuth();
        for (Template.Function f : local.template().functions()) {
            for (Template.HttpRoute route : f.routes()) {
                if (!"NONE".equals(route.authorizer())) {
                    assertThat(auth.authorizerOf(route)).as(route.routeKey()).isNotNull();
                }
            }
        }
    }
}
