package app.connections.catalog;

import app.connections.platform.Json;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The apps the service can connect to. The built-in catalog ships as {@code catalog/apps.json}; a
 * custom catalog (same format, published as {@code docs/catalog.schema.json}), packaged as
 * {@code catalog/custom.json} or named by {@code CATALOG_FILE}, adds its apps to the built-in ones. A custom entry with a built-in app's key is refused unless it
 * says {@code "overrides": true}, so no built-in app is replaced by mistake. Every entry is checked at
 * load; an error names the file, the entry and the field.
 */
public final class AppCatalog {
    private static final String BUILT_IN = "/catalog/apps.json";
    /** A deployment's own apps, packaged with the functions (absent from this repository). */
    static final String PACKAGED = "/catalog/custom.json";
    private static final ObjectReader APP = Json.MAPPER.readerFor(App.class)
            .with(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private final Map<String, App> apps;

    private AppCatalog(Map<String, App> apps) {
        this.apps = Map.copyOf(apps);
    }

    /**
     * The built-in catalog, plus the deployment's packaged custom catalog ({@value #PACKAGED} on the
     * classpath, when a fork adds it to {@code shared/src/main/resources}: every function's jar then
     * carries it), plus, when given, the apps of a custom catalog file.
     */
    public static AppCatalog load(Optional<Path> customFile) {
        return load(customFile, PACKAGED);
    }

    static AppCatalog load(Optional<Path> customFile, String packaged) {
        Map<String, App> apps = new TreeMap<>();
        try (InputStream in = AppCatalog.class.getResourceAsStream(BUILT_IN)) {
            if (in == null) {
                throw new IllegalStateException("built-in catalog " + BUILT_IN + " is missing");
            }
            read("built-in catalog", in, apps, java.util.Set.of(), false);
        } catch (IOException e) {
            throw new IllegalStateException("built-in catalog is invalid: " + e.getMessage(), e);
        }
        java.util.Set<String> builtIn = java.util.Set.copyOf(apps.keySet());
        try (InputStream in = AppCatalog.class.getResourceAsStream(packaged)) {
            if (in != null) {
                read("packaged custom catalog " + packaged.substring(1), in, apps, builtIn, true);
            }
        } catch (IOException e) {
            throw new IllegalStateException("packaged custom catalog " + packaged + " cannot be read: " + e.getMessage(), e);
        }
        customFile.ifPresent(file -> {
            try (InputStream in = Files.newInputStream(file)) {
                read("custom catalog " + file, in, apps, builtIn, true);
            } catch (IOException e) {
                throw new IllegalStateException("custom catalog " + file + " cannot be read: " + e.getMessage(), e);
            }
        });
        return new AppCatalog(apps);
    }

    /** Reads one catalog file's apps into {@code apps}, entry by entry, each error naming the entry and field. */
    private static void read(String source, InputStream in, Map<String, App> apps, java.util.Set<String> builtInKeys,
                             boolean custom) {
        JsonNode root;
        try {
            root = Json.MAPPER.readTree(in);
        } catch (IOException e) {
            throw new IllegalStateException(source + " is not JSON: " + e.getMessage(), e);
        }
        if (root == null || !root.isObject() || !root.path("apps").isArray()) {
            throw new IllegalStateException(source + ": must be an object {\"apps\": [...]} (docs/catalog.schema.json)");
        }
        root.fieldNames().forEachRemaining(name -> {
            if (!name.equals("apps")) {
                throw new IllegalStateException(source + ": unknown top-level field " + name + " (only apps)");
            }
        });
        Map<String, App> seen = new TreeMap<>();
        int index = 0;
        for (JsonNode entry : root.path("apps")) {
            String where = source + ": apps[" + index++ + "]" + (entry.path("key").isTextual() ? " (" + entry.path("key").asText() + ")" : "");
            if (!entry.isObject()) {
                throw new IllegalStateException(where + ": an app must be an object");
            }
            ObjectNode copy = ((ObjectNode) entry).deepCopy();
            JsonNode overrides = copy.remove("overrides");
            if (overrides != null && (!custom || !overrides.isBoolean())) {
                throw new IllegalStateException(where + ": overrides: " + (custom ? "must be true or false"
                        : "only a custom catalog entry overrides"));
            }
            App app = app(where, copy);
            if (seen.put(app.key(), app) != null) {
                throw new IllegalStateException(where + ": key: " + app.key() + " is used by another entry of this file");
            }
            boolean taken = apps.containsKey(app.key());
            boolean override = overrides != null && overrides.asBoolean();
            if (custom && taken && !builtInKeys.contains(app.key())) {
                throw new IllegalStateException(where + ": key: " + app.key() + " is an app of the packaged custom catalog"
                        + " already; choose another key");
            }
            if (custom && taken && !override) {
                throw new IllegalStateException(where + ": key: " + app.key() + " is a built-in app; choose another key,"
                        + " or say \"overrides\": true to replace the built-in entry");
            }
            if (custom && override && !builtInKeys.contains(app.key())) {
                throw new IllegalStateException(where + ": overrides: there is no built-in app " + app.key() + " to override");
            }
            apps.put(app.key(), app);
        }
    }

    /** One entry as an app, or an error naming the entry and the field at fault. */
    private static App app(String where, JsonNode entry) {
        unknownFields(where, entry, App.class, "");
        try {
            return APP.readValue(entry);
        } catch (JsonMappingException e) {
            String field = e.getPath().stream()
                    .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
                    .collect(Collectors.joining(".")).replace(".[", "[");
            Throwable cause = e.getCause() != null ? rootCause(e) : null;
            String problem = cause != null && cause.getMessage() != null ? cause.getMessage() : problem(e);
            throw new IllegalStateException(where + ": " + (field.isEmpty() ? "" : field + ": ") + problem, e);
        } catch (IOException e) {
            throw new IllegalStateException(where + ": " + e.getMessage(), e);
        }
    }

    /**
     * Refuses a field no record of the catalog has, before anything is built (a misspelt
     * {@code tokenURL} is reported as itself, not as a missing {@code tokenUrl}).
     */
    private static void unknownFields(String where, JsonNode node, Class<?> type, String path) {
        if (!node.isObject() || !type.isRecord()) {
            return;
        }
        Map<String, java.lang.reflect.RecordComponent> components = new TreeMap<>();
        for (var component : type.getRecordComponents()) {
            components.put(component.getName(), component);
        }
        for (var field : (Iterable<Map.Entry<String, JsonNode>>) node::fields) {
            String at = path.isEmpty() ? field.getKey() : path + "." + field.getKey();
            var component = components.get(field.getKey());
            if (component == null) {
                throw new IllegalStateException(where + ": " + at + ": unknown field " + field.getKey()
                        + " (docs/catalog.schema.json)");
            }
            if (component.getType().isRecord()) {
                unknownFields(where, field.getValue(), component.getType(), at);
            } else if (List.class.isAssignableFrom(component.getType())
                    && component.getGenericType() instanceof java.lang.reflect.ParameterizedType list
                    && list.getActualTypeArguments()[0] instanceof Class<?> element && element.isRecord()) {
                int i = 0;
                for (JsonNode item : field.getValue()) {
                    unknownFields(where, item, element, at + "[" + i++ + "]");
                }
            }
        }
    }

    private static Throwable rootCause(Throwable e) {
        Throwable cause = e.getCause();
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        return cause;
    }

    /** Jackson's own problem, without its source location and class names. */
    private static String problem(JsonMappingException e) {
        if (e instanceof com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException u) {
            return "unknown field " + u.getPropertyName() + " (docs/catalog.schema.json)";
        }
        if (e instanceof com.fasterxml.jackson.databind.exc.InvalidFormatException f) {
            return "the value " + f.getValue() + " is not a valid " + f.getTargetType().getSimpleName();
        }
        if (e instanceof com.fasterxml.jackson.databind.exc.MismatchedInputException m && m.getTargetType() != null) {
            return "expected " + describe(m.getTargetType());
        }
        return e.getOriginalMessage().replaceAll("`?[a-z]+(\\.[a-z]+)+\\.([A-Z][A-Za-z$]*)`?", "$2");
    }

    private static String describe(Class<?> type) {
        if (type == String.class) {
            return "a string";
        }
        if (type == boolean.class || type == Boolean.class) {
            return "true or false";
        }
        if (Number.class.isAssignableFrom(type) || type.isPrimitive()) {
            return "a number";
        }
        if (Collection.class.isAssignableFrom(type)) {
            return "a list";
        }
        if (Map.class.isAssignableFrom(type) || type.isRecord()) {
            return "an object";
        }
        return "a " + type.getSimpleName();
    }

    public Optional<App> find(String key) {
        return key == null ? Optional.empty() : Optional.ofNullable(apps.get(key));
    }

    /** Every app, by key. */
    public Collection<App> all() {
        return new TreeMap<>(apps).values();
    }
}
