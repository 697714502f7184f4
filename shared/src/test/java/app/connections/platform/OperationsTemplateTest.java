package app.connections.platform;

import static org.assertj.core.api.Assertions.assertThat;

import app.connections.local.aws.LocalAws;
import app.connections.local.aws.LocalAwsExtension;
import app.connections.local.aws.Template;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What template.yaml gives an operator: a retention on every log group, the API's access log, a
 * failure destination for the scheduled refresher, and alarms that read metrics the code emits
 * (names checked against {@link Metric}; the EMF tests show each is written).
 */
@ExtendWith(LocalAwsExtension.class)
class OperationsTemplateTest {
    private static final Set<String> AWS_NAMESPACES = Set.of("AWS/Lambda", "AWS/ApiGateway", "AWS/SQS", "AWS/DynamoDB");

    private static Map<String, Object> map(Object o) {
        return Template.asMap(o);
    }

    private static List<Template.Resource> ofType(Template t, String type) {
        return t.resources().values().stream().filter(r -> r.type().equals(type)).toList();
    }

    @Test
    void everyFunctionLogsToItsOwnLogGroupAndEveryLogGroupHasARetention(LocalAws local) {
        Template t = local.template();
        Map<String, Template.Resource> resources = t.resources();
        for (Template.Function f : t.functions()) {
            Object group = map(map(resources.get(f.logicalId()).properties().get("LoggingConfig")).get("LogGroup"));
            assertThat(group).as(f.logicalId() + " LoggingConfig.LogGroup").isInstanceOf(Map.class);
            String ref = String.valueOf(map(group).get("Ref"));
            assertThat(resources.get(ref)).as(f.logicalId() + " -> " + ref).isNotNull()
                    .satisfies(r -> assertThat(r.type()).isEqualTo("AWS::Logs::LogGroup"));
        }
        List<Template.Resource> groups = ofType(t, "AWS::Logs::LogGroup");
        assertThat(groups).hasSize(t.functions().size() + 1); // and the API's access log
        assertThat(groups).allSatisfy(g -> assertThat(g.properties()).as(g.logicalId()).containsKey("RetentionInDays"));

        // the local stack made them, with the template's retention
        var described = local.clients().logs().describeLogGroups().logGroups();
        for (Template.Resource g : groups) {
            String name = local.stack().resources().get(g.logicalId()).ref();
            assertThat(described).as(name).anySatisfy(d -> {
                assertThat(d.logGroupName()).isEqualTo(name);
                assertThat(d.retentionInDays()).isEqualTo(Integer.valueOf(t.parameterDefaults().get("LogRetentionDays")));
            });
        }
    }

    @Test
    void theApiWritesAnAccessLogWithoutHeadersQueriesOrBodies(LocalAws local) {
        Template.Resource api = ofType(local.template(), "AWS::Serverless::HttpApi").get(0);
        Map<String, Object> settings = map(api.properties().get("AccessLogSettings"));
        @SuppressWarnings("unchecked")
        List<Object> target = (List<Object>) map(settings.get("DestinationArn")).get("Fn::GetAtt");
        assertThat(local.template().resources().get(String.valueOf(target.get(0))).type()).isEqualTo("AWS::Logs::LogGroup");
        String format = String.valueOf(settings.get("Format"));
        assertThat(format).contains("$context.requestId", "$context.routeKey", "$context.status")
                .doesNotContain("$request.", "querystring", "$context.authorizer.claims");
    }

    @Test
    void theScheduledRefresherHasAFailureDestinationThatAlarms(LocalAws local) {
        Map<String, Object> refresher = local.template().resources().get("RefresherFunction").properties();
        Map<String, Object> onFailure = map(map(map(refresher.get("EventInvokeConfig")).get("DestinationConfig")).get("OnFailure"));
        assertThat(onFailure).containsEntry("Type", "SQS");
        Map<String, Object> schedule = map(map(map(refresher.get("Events")).get("RefreshSchedule")).get("Properties"));
        assertThat(map(schedule.get("DeadLetterConfig"))).containsKey("Arn");
        assertThat(local.template().resources().get("RefresherFailures").type()).isEqualTo("AWS::SQS::Queue");
        assertThat(alarmMetrics(local.template())).contains("AWS/SQS:ApproximateNumberOfMessagesVisible");
    }

    @Test
    void everyAlarmReadsAMetricTheCodeEmitsOrOneOfAws(LocalAws local) {
        Template t = local.template();
        Map<String, String> globals = t.functions().get(0).environment().entrySet().stream()
                .filter(e -> e.getValue() instanceof String).collect(Collectors.toMap(Map.Entry::getKey, e -> (String) e.getValue()));
        String namespace = globals.get("METRICS_NAMESPACE");
        String service = globals.get("SERVICE_NAME");
        Set<String> emitted = Arrays.stream(Metric.values()).map(Metric::metricName).collect(Collectors.toSet());

        List<String> read = alarmMetrics(t);
        assertThat(read).isNotEmpty();
        for (String m : read) {
            String[] nsName = m.split(":", 2);
            if (nsName[0].equals(namespace)) {
                assertThat(emitted).as("alarm metric " + m).contains(nsName[1]);
            } else {
                assertThat(AWS_NAMESPACES).as("alarm metric " + m).contains(nsName[0]);
            }
        }
        // the named signals that need a human each have their alarm
        assertThat(read).contains(namespace + ":RefreshFailures", namespace + ":Refreshes", namespace + ":InvalidClient",
                namespace + ":PendingRevocationAge", namespace + ":AwsThrottles", namespace + ":OutboxLag", "AWS/ApiGateway:5xx", "AWS/Lambda:Errors",
                "AWS/Lambda:Throttles");
        // our metrics are read without their breakdown: the Service dimension alone, with the template's service name
        for (Template.Resource alarm : ofType(t, "AWS::CloudWatch::Alarm")) {
            for (Map<String, Object> metric : metricsOf(alarm.properties())) {
                if (namespace.equals(metric.get("Namespace"))) {
                    assertThat(metric.get("Dimensions")).as(alarm.logicalId())
                            .isEqualTo(List.of(Map.of("Name", "Service", "Value", service)));
                }
            }
            assertThat(alarm.properties()).as(alarm.logicalId()).containsKeys("AlarmActions", "OKActions", "AlarmDescription");
        }
        // with the topic parameter empty (its default) the alarms have no action; set, they notify it
        var noTopic = local.stack().intrinsics(t);
        assertThat(noTopic.resolve(ofType(t, "AWS::CloudWatch::Alarm").get(0).properties())).asInstanceOf(
                org.assertj.core.api.InstanceOfAssertFactories.MAP).doesNotContainKeys("AlarmActions", "OKActions");
        assertThat(ofType(t, "AWS::CloudWatch::Dashboard")).hasSize(1);
    }

    /** "Namespace:MetricName" of every metric an alarm reads. */
    private static List<String> alarmMetrics(Template t) {
        List<String> out = new ArrayList<>();
        for (Template.Resource alarm : ofType(t, "AWS::CloudWatch::Alarm")) {
            metricsOf(alarm.properties()).forEach(m -> out.add(m.get("Namespace") + ":" + m.get("MetricName")));
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> metricsOf(Map<String, Object> alarm) {
        List<Map<String, Object>> out = new ArrayList<>();
        if (alarm.containsKey("MetricName")) {
            out.add(alarm);
        }
        for (Object q : (List<Object>) alarm.getOrDefault("Metrics", List.of())) {
            Object stat = map(q).get("MetricStat");
            if (stat != null) {
                out.add(map(map(stat).get("Metric")));
            }
        }
        return out;
    }
}
