package app.connections.local.aws;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Resolves the CloudFormation intrinsics the template uses ({@code Ref}, {@code Fn::Sub},
 * {@code Fn::GetAtt}, {@code Fn::Join}, and {@code Fn::If} over the template's {@code Conditions}
 * with {@code Fn::Equals}, {@code Fn::Not}, {@code Fn::And}, {@code Fn::Or}; {@code AWS::NoValue}
 * removes the property) against the resources the local stack created.
 */
public final class Intrinsics {
    private static final Pattern SUB = Pattern.compile("\\$\\{([^}!][^}]*)}");
    /** What {@code Ref AWS::NoValue} resolves to: the property is left out. */
    private static final Object NO_VALUE = new Object();

    private final Map<String, String> refs;
    private final Map<String, Map<String, String>> attributes;
    private Map<String, Object> conditions = Map.of();

    /**
     * @param refs logical id, parameter or pseudo parameter to what {@code Ref} returns
     * @param attributes logical id to attribute name to value
     */
    public Intrinsics(Map<String, String> refs, Map<String, Map<String, String>> attributes) {
        this.refs = refs;
        this.attributes = attributes;
    }

    /** The template's {@code Conditions}, for {@code Fn::If}. */
    public Intrinsics withConditions(Map<String, Object> conditions) {
        this.conditions = conditions;
        return this;
    }

    public String string(Object value) {
        Object resolved = resolve(value);
        if (!(resolved instanceof String s)) {
            throw new IllegalStateException("expected a string, got " + resolved);
        }
        return s;
    }

    @SuppressWarnings("unchecked")
    public Object resolve(Object value) {
        if (value instanceof Map<?, ?> map) {
            if (map.size() == 1) {
                Map.Entry<?, ?> e = map.entrySet().iterator().next();
                String key = String.valueOf(e.getKey());
                switch (key) {
                    case "Ref" -> {
                        return "AWS::NoValue".equals(e.getValue()) ? NO_VALUE : ref(String.valueOf(e.getValue()));
                    }
                    case "Fn::If" -> {
                        List<Object> parts = (List<Object>) e.getValue();
                        return resolve(condition(String.valueOf(parts.get(0))) ? parts.get(1) : parts.get(2));
                    }
                    case "Fn::GetAtt" -> {
                        List<Object> parts = (List<Object>) e.getValue();
                        return attribute(String.valueOf(parts.get(0)), String.valueOf(parts.get(1)));
                    }
                    case "Fn::Sub" -> {
                        return sub(e.getValue());
                    }
                    case "Fn::Join" -> {
                        List<Object> parts = (List<Object>) e.getValue();
                        List<String> items = new ArrayList<>();
                        for (Object item : (List<Object>) resolve(parts.get(1))) {
                            items.add(String.valueOf(item));
                        }
                        return String.join(String.valueOf(parts.get(0)), items);
                    }
                    default -> {
                        if (key.startsWith("Fn::")) {
                            throw new IllegalStateException("the local stack does not resolve " + key);
                        }
                    }
                }
            }
            Map<String, Object> out = new LinkedHashMap<>();
            map.forEach((k, v) -> {
                Object r = resolve(v);
                if (r != NO_VALUE) {
                    out.put(String.valueOf(k), r);
                }
            });
            return out;
        }
        if (value instanceof List<?> list) {
            List<Object> out = new ArrayList<>();
            list.forEach(item -> {
                Object r = resolve(item);
                if (r != NO_VALUE) {
                    out.add(r);
                }
            });
            return out;
        }
        return value;
    }

    /** Evaluates a condition of the template by name. */
    public boolean condition(String name) {
        Object definition = conditions.get(name);
        if (definition == null) {
            throw new IllegalStateException("the template has no condition " + name);
        }
        return truth(definition);
    }

    @SuppressWarnings("unchecked")
    private boolean truth(Object definition) {
        Map<String, Object> fn = (Map<String, Object>) definition;
        Map.Entry<String, Object> e = fn.entrySet().iterator().next();
        return switch (e.getKey()) {
            case "Condition" -> condition(String.valueOf(e.getValue()));
            case "Fn::Equals" -> {
                List<Object> two = (List<Object>) e.getValue();
                yield String.valueOf(resolve(two.get(0))).equals(String.valueOf(resolve(two.get(1))));
            }
            case "Fn::Not" -> !truth(((List<Object>) e.getValue()).get(0));
            case "Fn::And" -> ((List<Object>) e.getValue()).stream().allMatch(this::truth);
            case "Fn::Or" -> ((List<Object>) e.getValue()).stream().anyMatch(this::truth);
            default -> throw new IllegalStateException("the local stack does not evaluate " + e.getKey());
        };
    }

    private String ref(String name) {
        String value = refs.get(name);
        if (value == null) {
            throw new IllegalStateException("nothing local answers Ref " + name);
        }
        return value;
    }

    private String attribute(String logicalId, String name) {
        String value = attributes.getOrDefault(logicalId, Map.of()).get(name);
        if (value == null) {
            throw new IllegalStateException("nothing local answers GetAtt " + logicalId + "." + name);
        }
        return value;
    }

    @SuppressWarnings("unchecked")
    private String sub(Object spec) {
        String template;
        Map<String, Object> vars = Map.of();
        if (spec instanceof List<?> list) {
            template = String.valueOf(list.get(0));
            vars = (Map<String, Object>) list.get(1);
        } else {
            template = String.valueOf(spec);
        }
        Matcher m = SUB.matcher(template);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String name = m.group(1);
            String value;
            if (vars.containsKey(name)) {
                value = string(vars.get(name));
            } else if (name.contains(".") && !name.startsWith("AWS::")) {
                String[] parts = name.split("\\.", 2);
                value = attribute(parts[0], parts[1]);
            } else {
                value = ref(name);
            }
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        return out.toString();
    }
}
