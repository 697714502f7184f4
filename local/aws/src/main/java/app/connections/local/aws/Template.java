package app.connections.local.aws;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.AbstractConstruct;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * template.yaml as data: the one source of truth for resources, routes, handlers and function
 * environments. CloudFormation short-form tags ({@code !Ref}, {@code !Sub}, {@code !GetAtt}…) are
 * read as their long forms ({@code {"Ref": …}}, {@code {"Fn::Sub": …}}).
 */
public final class Template {
    private final Map<String, Object> root;
    private final String sha256;

    private Template(Map<String, Object> root, String sha256) {
        this.root = root;
        this.sha256 = sha256;
    }

    public static Template load(Path file) {
        try {
            byte[] bytes = Files.readAllBytes(file);
            try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                Map<String, Object> root = new Yaml(new CfnConstructor()).load(reader);
                return new Template(root, HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes)));
            }
        } catch (IOException | NoSuchAlgorithmException e) {
            throw new IllegalStateException("cannot read " + file, e);
        }
    }

    public String sha256() {
        return sha256;
    }

    /** Resources in template order. */
    public Map<String, Resource> resources() {
        Map<String, Resource> resources = new LinkedHashMap<>();
        map(root, "Resources").forEach((id, value) -> {
            Map<String, Object> r = asMap(value);
            resources.put(id, new Resource(id, (String) r.get("Type"), map(r, "Properties")));
        });
        return resources;
    }

    /** The template's {@code Conditions}, name to definition. */
    public Map<String, Object> conditions() {
        return map(root, "Conditions");
    }

    /** Parameter name to default value. */
    public Map<String, String> parameterDefaults() {
        Map<String, String> defaults = new LinkedHashMap<>();
        map(root, "Parameters").forEach((name, value) -> {
            Object d = asMap(value).get("Default");
            if (d != null) {
                defaults.put(name, String.valueOf(d));
            }
        });
        return defaults;
    }

    /**
     * Every {@code AWS::Serverless::Function}, with its environment merged over the Globals, its
     * timeout (its own, else the Globals'), its HTTP API routes and its Schedule events.
     */
    public List<Function> functions() {
        Map<String, Object> globalFunction = map(map(root, "Globals"), "Function");
        Map<String, Object> globalEnv = map(map(globalFunction, "Environment"), "Variables");
        List<Function> functions = new ArrayList<>();
        for (Resource r : resources().values()) {
            if (!"AWS::Serverless::Function".equals(r.type())) {
                continue;
            }
            Map<String, Object> env = new LinkedHashMap<>(globalEnv);
            env.putAll(map(map(r.properties(), "Environment"), "Variables"));
            List<HttpRoute> routes = new ArrayList<>();
            List<ScheduleEvent> schedules = new ArrayList<>();
            map(r.properties(), "Events").forEach((name, value) -> {
                Map<String, Object> event = asMap(value);
                Map<String, Object> props = map(event, "Properties");
                if ("HttpApi".equals(event.get("Type"))) {
                    Map<String, Object> auth = map(props, "Auth");
                    routes.add(new HttpRoute(name, String.valueOf(props.get("Method")).toUpperCase(),
                            String.valueOf(props.get("Path")), (String) auth.get("Authorizer")));
                } else if ("Schedule".equals(event.get("Type"))) {
                    schedules.add(new ScheduleEvent(name, withParameterDefaults(props.get("Schedule")),
                            !Boolean.FALSE.equals(props.get("Enabled"))));
                }
            });
            functions.add(new Function(r.logicalId(), (String) r.properties().get("Handler"),
                    String.valueOf(r.properties().get("CodeUri")), env,
                    intSetting(r.properties(), globalFunction, "Timeout", 3),
                    intSetting(r.properties(), globalFunction, "MemorySize", 128), routes, schedules));
        }
        return functions;
    }

    /** A plain string, or an {@code Fn::Sub} of parameters, with the parameters' defaults filled in. */
    private String withParameterDefaults(Object value) {
        if (value instanceof Map<?, ?> m && m.get("Fn::Sub") instanceof String template) {
            String out = template;
            for (Map.Entry<String, String> p : parameterDefaults().entrySet()) {
                out = out.replace("${" + p.getKey() + "}", p.getValue());
            }
            return out;
        }
        return String.valueOf(value);
    }

    private static int intSetting(Map<String, Object> own, Map<String, Object> globals, String name, int lambdaDefault) {
        Object value = own.containsKey(name) ? own.get(name) : globals.get(name);
        return value == null ? lambdaDefault : Integer.parseInt(String.valueOf(value));
    }

    /** Every {@code DynamoDB} (stream) event of every function: what Lambda's event source mapping does with the stream. */
    public List<StreamEvent> streamEvents() {
        List<StreamEvent> out = new ArrayList<>();
        for (Resource r : resources().values()) {
            if (!"AWS::Serverless::Function".equals(r.type())) {
                continue;
            }
            map(r.properties(), "Events").forEach((name, value) -> {
                Map<String, Object> event = asMap(value);
                if (!"DynamoDB".equals(event.get("Type"))) {
                    return;
                }
                Map<String, Object> props = map(event, "Properties");
                List<String> patterns = new ArrayList<>();
                Object filters = map(props, "FilterCriteria").get("Filters");
                if (filters instanceof List<?> list) {
                    list.forEach(f -> patterns.add(String.valueOf(asMap(f).get("Pattern"))));
                }
                Object responseTypes = props.get("FunctionResponseTypes");
                out.add(new StreamEvent(r.logicalId(), name, props.get("Stream"),
                        Integer.parseInt(String.valueOf(props.getOrDefault("BatchSize", 100))),
                        String.valueOf(props.getOrDefault("StartingPosition", "LATEST")), patterns,
                        Integer.parseInt(String.valueOf(props.getOrDefault("MaximumRetryAttempts", -1))),
                        responseTypes instanceof List<?> l && l.contains("ReportBatchItemFailures")));
            });
        }
        return out;
    }

    /**
     * A function's {@code DynamoDB} event: the stream it reads, how many records per invocation, where
     * it starts, the {@code FilterCriteria} patterns (JSON), how often a failed batch is retried
     * ({@code -1}: until the records expire) and whether the function reports failed records itself.
     */
    public record StreamEvent(String functionLogicalId, String eventName, Object stream, int batchSize,
                              String startingPosition, List<String> filterPatterns, int maximumRetryAttempts,
                              boolean reportsBatchItemFailures) {
    }

    /** A resource's {@code Metadata} (how {@code sam build} builds a function), empty when it has none. */
    public Map<String, Object> metadataOf(String logicalId) {
        return map(asMap(map(root, "Resources").get(logicalId)), "Metadata");
    }

    /** The HTTP API's JWT authorizers and its default authorizer. */
    public HttpApiAuth httpApiAuth() {
        for (Resource r : resources().values()) {
            if ("AWS::Serverless::HttpApi".equals(r.type())) {
                Map<String, Object> auth = map(r.properties(), "Auth");
                Map<String, JwtAuthorizer> authorizers = new LinkedHashMap<>();
                map(auth, "Authorizers").forEach((name, value) -> {
                    Map<String, Object> jwt = map(asMap(value), "JwtConfiguration");
                    @SuppressWarnings("unchecked")
                    List<Object> audience = (List<Object>) jwt.get("audience");
                    authorizers.put(name, new JwtAuthorizer(name, jwt.get("issuer"), audience));
                });
                return new HttpApiAuth((String) auth.get("DefaultAuthorizer"), authorizers);
            }
        }
        throw new IllegalStateException("template has no AWS::Serverless::HttpApi");
    }

    public record Resource(String logicalId, String type, Map<String, Object> properties) {
    }

    /** @param authorizer the route's own authorizer, {@code "NONE"}, or null for the API's default */
    public record HttpRoute(String eventName, String method, String path, String authorizer) {
        public String routeKey() {
            return method + " " + path;
        }
    }

    /**
     * @param codeUri the function's Maven module (its shaded jar is {@link #jar()})
     * @param timeoutSeconds the function's {@code Timeout} (or the Globals', or Lambda's default 3 s)
     * @param memoryMb the function's {@code MemorySize} (or the Globals', or Lambda's default 128 MB)
     */
    public record Function(String logicalId, String handler, String codeUri, Map<String, Object> environment,
                           int timeoutSeconds, int memoryMb, List<HttpRoute> routes, List<ScheduleEvent> scheduleEvents) {
        public String handlerClass() {
            return handler.substring(0, handler.indexOf("::"));
        }

        /** The schedule expressions of the function's Schedule events. */
        public List<String> schedules() {
            return scheduleEvents.stream().map(ScheduleEvent::expression).toList();
        }

        /** The shaded jar the module's build makes (functions/pom.xml), which {@code sam build} deploys. */
        public String jar() {
            return codeUri + "/target/function.jar";
        }
    }

    /**
     * An event of type {@code Schedule}: an EventBridge rule that invokes the function.
     *
     * @param expression {@code rate(…)} or {@code cron(…)}, as written
     */
    public record ScheduleEvent(String eventName, String expression, boolean enabled) {
        private static final Pattern RATE =
                Pattern.compile("^rate\\(\\s*(\\d+)\\s+(minutes?|hours?|days?)\\s*\\)$");

        /** The period of a {@code rate(N unit)} expression; empty for {@code cron(…)}. */
        public Optional<Duration> rate() {
            Matcher m = RATE.matcher(expression.strip());
            if (!m.matches()) {
                return Optional.empty();
            }
            long n = Long.parseLong(m.group(1));
            return Optional.of(switch (m.group(2).replaceFirst("s$", "")) {
                case "minute" -> Duration.ofMinutes(n);
                case "hour" -> Duration.ofHours(n);
                default -> Duration.ofDays(n);
            });
        }
    }

    /** @param issuer and audience are unresolved template values (intrinsics) */
    public record JwtAuthorizer(String name, Object issuer, List<Object> audience) {
    }

    public record HttpApiAuth(String defaultAuthorizer, Map<String, JwtAuthorizer> authorizers) {
        /** The authorizer that guards a route, or null when the route is public. */
        public JwtAuthorizer authorizerOf(HttpRoute route) {
            String name = route.authorizer() == null ? defaultAuthorizer : route.authorizer();
            return "NONE".equals(name) ? null : authorizers.get(name);
        }
    }

    @SuppressWarnings("unchecked")
    public static Map<String, Object> asMap(Object value) {
        return value instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }

    static Map<String, Object> map(Map<String, Object> parent, String key) {
        return asMap(parent.get(key));
    }

    /** Reads {@code !Tag value} as {@code {"Fn::Tag": value}} ({@code !Ref} as {@code {"Ref": value}}). */
    private static final class CfnConstructor extends SafeConstructor {
        CfnConstructor() {
            super(new LoaderOptions());
            for (String fn : List.of("Ref", "Sub", "GetAtt", "Join", "Select", "Split", "If", "Equals", "Not",
                    "And", "Or", "FindInMap", "ImportValue", "Base64", "GetAZs", "Condition", "Cidr")) {
                String name = fn.equals("Ref") || fn.equals("Condition") ? fn : "Fn::" + fn;
                this.yamlConstructors.put(new Tag("!" + fn), new AbstractConstruct() {
                    @Override
                    public Object construct(Node node) {
                        Object value;
                        if (node instanceof ScalarNode scalar) {
                            value = scalar.getValue();
                            if (fn.equals("GetAtt")) {
                                value = List.of(((String) value).split("\\.", 2));
                            }
                        } else if (node instanceof SequenceNode seq) {
                            value = constructSequence(seq);
                        } else {
                            value = constructMapping((MappingNode) node);
                        }
                        return Map.of(name, value);
                    }
                });
            }
        }
    }
}
