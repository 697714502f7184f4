package app.connections.local.aws;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.cognitoidentityprovider.CognitoIdentityProviderClient;
import software.amazon.awssdk.services.cognitoidentityprovider.model.SchemaAttributeType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.StringAttributeConstraintsType;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.Projection;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.kms.KmsClient;

/**
 * Creates the template's resources in the local emulator from the template's own definitions:
 * table keys and GSIs, the KMS key and alias, the event bus, user pools with their custom
 * attributes, and app clients; log groups with their retention, queues and their policies,
 * and, resolved but not created, the alarms and the dashboard. Nothing here restates a key, index or attribute name. A resource
 * type it does not know stops the bootstrap, so a template change cannot be silently ignored.
 */
public final class StackBootstrap {
    public static final String ACCOUNT_ID = "123456789012";

    private final LocalClients clients;
    private final String region;
    private final String stackName;

    public StackBootstrap(LocalClients clients, String region, String stackName) {
        this.clients = clients;
        this.region = region;
        this.stackName = stackName;
    }

    /** Creates every resource and returns what {@code Ref} and {@code GetAtt} answer for each. */
    public Created create(Template template) {
        Map<String, String> refs = new HashMap<>(template.parameterDefaults());
        refs.put("AWS::Region", region);
        refs.put("AWS::AccountId", ACCOUNT_ID);
        refs.put("AWS::StackName", stackName);
        refs.put("AWS::Partition", "aws");
        refs.put("AWS::URLSuffix", "amazonaws.com");
        Map<String, Map<String, String>> attributes = new HashMap<>();
        Intrinsics intrinsics = new Intrinsics(refs, attributes).withConditions(template.conditions());
        Map<String, String> types = new LinkedHashMap<>();

        List<Template.Resource> pending = new ArrayList<>(template.resources().values());
        while (!pending.isEmpty()) {
            List<Template.Resource> deferred = new ArrayList<>();
            IllegalStateException lastMissing = null;
            for (Template.Resource resource : pending) {
                Map<String, Object> props = Map.of();
                if (!"AWS::Serverless::Function".equals(resource.type())) {
                    try {
                        @SuppressWarnings("unchecked")
                        Map<String, Object> resolved = (Map<String, Object>) intrinsics.resolve(resource.properties());
                        props = resolved;
                    } catch (IllegalStateException missing) {
                        // refers to a resource not created yet: try again in the next pass
                        deferred.add(resource);
                        lastMissing = missing;
                        continue;
                    }
                }
                types.put(resource.logicalId(), resource.type());
                Map<String, String> attrs = new HashMap<>();
                refs.put(resource.logicalId(), createOne(resource, props, attrs));
                attributes.put(resource.logicalId(), attrs);
            }
            if (deferred.size() == pending.size()) {
                throw new IllegalStateException("template resources reference each other in a cycle", lastMissing);
            }
            pending = deferred;
        }
        return new Created(refs, attributes, types);
    }

    private String createOne(Template.Resource resource, Map<String, Object> p, Map<String, String> attrs) {
        String id = resource.logicalId();
        String arnPrefix = "arn:aws:%s:" + region + ":" + ACCOUNT_ID + ":";
        switch (resource.type()) {
            case "AWS::DynamoDB::Table" -> {
                String name = p.containsKey("TableName") ? (String) p.get("TableName") : stackName + "-" + id;
                DynamoDbClient dynamo = clients.dynamo();
                dynamo.createTable(b -> {
                    b.tableName(name)
                            .billingMode(String.valueOf(p.getOrDefault("BillingMode", "PAY_PER_REQUEST")))
                            .attributeDefinitions(list(p, "AttributeDefinitions").stream().map(a -> AttributeDefinition.builder()
                                    .attributeName(str(a, "AttributeName")).attributeType(str(a, "AttributeType")).build()).toList())
                            .keySchema(keySchema(list(p, "KeySchema")));
                    Map<String, Object> stream = Template.asMap(p.get("StreamSpecification"));
                    if (stream.get("StreamViewType") != null) {
                        b.streamSpecification(s -> s.streamEnabled(true).streamViewType(str(stream, "StreamViewType")));
                    }
                    List<Map<String, Object>> gsis = list(p, "GlobalSecondaryIndexes");
                    if (!gsis.isEmpty()) {
                        b.globalSecondaryIndexes(gsis.stream().map(g -> {
                            Map<String, Object> projection = Template.asMap(g.get("Projection"));
                            @SuppressWarnings("unchecked")
                            List<String> nonKey = (List<String>) projection.get("NonKeyAttributes");
                            return GlobalSecondaryIndex.builder()
                                    .indexName(str(g, "IndexName"))
                                    .keySchema(keySchema(list(g, "KeySchema")))
                                    .projection(Projection.builder().projectionType(str(projection, "ProjectionType"))
                                            .nonKeyAttributes(nonKey).build())
                                    .build();
                        }).toList());
                    }
                });
                Map<String, Object> ttl = Template.asMap(p.get("TimeToLiveSpecification"));
                if (Boolean.TRUE.equals(ttl.get("Enabled"))) {
                    dynamo.updateTimeToLive(b -> b.tableName(name).timeToLiveSpecification(t -> t
                            .attributeName(str(ttl, "AttributeName")).enabled(true)));
                }
                attrs.put("Arn", arnPrefix.formatted("dynamodb") + "table/" + name);
                String streamArn = dynamo.describeTable(b -> b.tableName(name)).table().latestStreamArn();
                if (streamArn != null) {
                    attrs.put("StreamArn", streamArn);
                }
                return name;
            }
            case "AWS::KMS::Key" -> {
                KmsClient kms = clients.kms();
                var meta = kms.createKey(b -> b.description((String) p.get("Description"))
                        .keyUsage((String) p.getOrDefault("KeyUsage", "ENCRYPT_DECRYPT"))
                        .keySpec((String) p.getOrDefault("KeySpec", "SYMMETRIC_DEFAULT"))).keyMetadata();
                if (Boolean.TRUE.equals(p.get("EnableKeyRotation"))) {
                    kms.enableKeyRotation(b -> b.keyId(meta.keyId()));
                }
                attrs.put("Arn", meta.arn());
                attrs.put("KeyId", meta.keyId());
                return meta.keyId();
            }
            case "AWS::KMS::Alias" -> {
                String alias = (String) p.get("AliasName");
                clients.kms().createAlias(b -> b.aliasName(alias).targetKeyId((String) p.get("TargetKeyId")));
                return alias;
            }
            case "AWS::Events::EventBus" -> {
                String name = (String) p.get("Name");
                String arn = clients.events().createEventBus(b -> b.name(name)).eventBusArn();
                attrs.put("Arn", arn);
                attrs.put("Name", name);
                return name;
            }
            case "AWS::Cognito::UserPool" -> {
                CognitoIdentityProviderClient cognito = clients.cognito();
                var pool = cognito.createUserPool(b -> b.poolName((String) p.get("UserPoolName"))
                        .usernameAttributesWithStrings(strings(p, "UsernameAttributes"))
                        .autoVerifiedAttributesWithStrings(strings(p, "AutoVerifiedAttributes"))
                        .schema(list(p, "Schema").stream().map(StackBootstrap::schemaAttribute).toList())).userPool();
                attrs.put("Arn", pool.arn());
                attrs.put("ProviderName", "cognito-idp." + region + ".amazonaws.com/" + pool.id());
                attrs.put("ProviderURL", "https://cognito-idp." + region + ".amazonaws.com/" + pool.id());
                return pool.id();
            }
            case "AWS::Cognito::UserPoolClient" -> {
                var client = clients.cognito().createUserPoolClient(b -> b
                        .userPoolId((String) p.get("UserPoolId"))
                        .clientName((String) p.get("ClientName"))
                        .generateSecret(Boolean.TRUE.equals(p.get("GenerateSecret")))
                        .explicitAuthFlowsWithStrings(strings(p, "ExplicitAuthFlows"))
                        .readAttributes(strings(p, "ReadAttributes"))
                        .writeAttributes(strings(p, "WriteAttributes"))
                        .preventUserExistenceErrors((String) p.get("PreventUserExistenceErrors"))).userPoolClient();
                return client.clientId();
            }
            case "AWS::Serverless::HttpApi" -> {
                return "local";
            }
            case "AWS::Logs::LogGroup" -> {
                String name = p.containsKey("LogGroupName") ? (String) p.get("LogGroupName") : "/" + stackName + "/" + id;
                try (var logs = clients.logs()) {
                    logs.createLogGroup(b -> b.logGroupName(name));
                    if (p.containsKey("RetentionInDays")) {
                        logs.putRetentionPolicy(b -> b.logGroupName(name)
                                .retentionInDays(Integer.valueOf(String.valueOf(p.get("RetentionInDays")))));
                    }
                }
                attrs.put("Arn", arnPrefix.formatted("logs") + "log-group:" + name + ":*");
                return name;
            }
            case "AWS::SQS::Queue" -> {
                String name = p.containsKey("QueueName") ? (String) p.get("QueueName") : stackName + "-" + id;
                Map<String, String> queueAttributes = new HashMap<>();
                if (p.containsKey("MessageRetentionPeriod")) {
                    queueAttributes.put("MessageRetentionPeriod", String.valueOf(p.get("MessageRetentionPeriod")));
                }
                String url = clients.sqs().createQueue(b -> b.queueName(name).attributesWithStrings(queueAttributes)).queueUrl();
                attrs.put("Arn", arnPrefix.formatted("sqs") + name);
                attrs.put("QueueName", name);
                attrs.put("QueueUrl", url);
                return url;
            }
            case "AWS::SQS::QueuePolicy" -> {
                String policy = toJson(p.get("PolicyDocument"));
                for (String url : strings(p, "Queues")) {
                    clients.sqs().setQueueAttributes(b -> b.queueUrl(url).attributesWithStrings(Map.of("Policy", policy)));
                }
                return id;
            }
            case "AWS::CloudWatch::Alarm", "AWS::CloudWatch::Dashboard" -> {
                // Resolved (so a reference that does not hold fails here), not created: the SDK speaks
                // CloudWatch's CBOR protocol, which moto does not serve, and no alarm fires locally.
                // OperationsTemplateTest checks what the alarms read; the dev server shows the metrics.
                String name = stackName + "-" + id;
                attrs.put("Arn", arnPrefix.formatted("cloudwatch") + (resource.type().endsWith("Alarm") ? "alarm:" : "dashboard/") + name);
                return name;
            }
            case "AWS::Serverless::Function" -> {
                String name = stackName + "-" + id;
                attrs.put("Arn", arnPrefix.formatted("lambda") + "function:" + name);
                return name;
            }
            default -> throw new IllegalStateException("the local stack cannot create " + resource.type()
                    + " (" + id + "); teach StackBootstrap to");
        }
    }

    private static String toJson(Object value) {
        try {
            return new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(value);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static SchemaAttributeType schemaAttribute(Map<String, Object> a) {
        Map<String, Object> limits = Template.asMap(a.get("StringAttributeConstraints"));
        SchemaAttributeType.Builder b = SchemaAttributeType.builder()
                .name(str(a, "Name"))
                .attributeDataType(str(a, "AttributeDataType"))
                .mutable(!Boolean.FALSE.equals(a.get("Mutable")));
        if (!limits.isEmpty()) {
            b.stringAttributeConstraints(StringAttributeConstraintsType.builder()
                    .minLength(String.valueOf(limits.get("MinLength")))
                    .maxLength(String.valueOf(limits.get("MaxLength"))).build());
        }
        return b.build();
    }

    private static List<KeySchemaElement> keySchema(List<Map<String, Object>> keys) {
        return keys.stream().map(k -> KeySchemaElement.builder()
                .attributeName(str(k, "AttributeName")).keyType(str(k, "KeyType")).build()).toList();
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> list(Map<String, Object> p, String key) {
        Object value = p.get(key);
        return value == null ? List.of() : (List<Map<String, Object>>) value;
    }

    @SuppressWarnings("unchecked")
    private static List<String> strings(Map<String, Object> p, String key) {
        Object value = p.get(key);
        return value == null ? List.of() : (List<String>) value;
    }

    private static String str(Map<String, Object> m, String key) {
        return String.valueOf(m.get(key));
    }

    /** What the bootstrap created: Ref and GetAtt answers, and each logical id's type. */
    public record Created(Map<String, String> refs, Map<String, Map<String, String>> attributes,
                          Map<String, String> types) {
    }
}
