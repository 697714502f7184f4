package app.connections.local.aws;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Resolves the CloudFormation intrinsics the template uses ({@code Ref}, {@code Fn::Sub},
 * {@code Fn::GetAtt}, {@code Fn::Join}) against the resources the local stack created.
 */
public final class Intrinsics {
    private static final Pattern SUB = Pattern.compile("\\$\\{([^}!][^}]*)}");

    private final Map<String, String> refs;
    private final Map<String, Map<String, String>> attributes;

    /**
     * @param refs logical id, parameter or pseudo parameter to what {@code Ref} returns
     * @param attributes logical id to attribute name to value
     */
    public Intrinsics(Map<String, String> refs, Map<String, Map<String, String>> attributes) {
        this.refs = refs;
        this.attributes = attributes;
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
                        return ref(String.valueOf(e.getValue()));
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
            map.forEach((k, v) -> out.put(String.valueOf(k), resolve(v)));
            return out;
        }
        if (value instanceof List<?> list) {
            List<Object> out = new ArrayList<>();
            list.forEach(item -> out.add(resolve(item)));
            return out;
        }
        return value;
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
