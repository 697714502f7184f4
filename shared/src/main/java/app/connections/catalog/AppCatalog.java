package app.connections.catalog;

import app.connections.platform.Json;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectReader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The apps the service can connect to. The built-in catalog ships as {@code catalog/apps.json};
 * a custom catalog file (same format; {@code CATALOG_FILE}) adds apps or replaces built-in ones by
 * key, so any standards-compliant OAuth 2.0 server can be connected without code.
 */
public final class AppCatalog {
    private static final String BUILT_IN = "/catalog/apps.json";
    private static final ObjectReader READER = Json.MAPPER.readerFor(CatalogFile.class)
            .with(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private final Map<String, App> apps;

    private AppCatalog(Map<String, App> apps) {
        this.apps = Map.copyOf(apps);
    }

    record CatalogFile(List<App> apps) {
    }

    /** The built-in catalog plus, when given, the apps of a custom catalog file. */
    public static AppCatalog load(Optional<Path> customFile) {
        Map<String, App> apps = new TreeMap<>();
        try (InputStream in = AppCatalog.class.getResourceAsStream(BUILT_IN)) {
            if (in == null) {
                throw new IllegalStateException("built-in catalog " + BUILT_IN + " is missing");
            }
            READER.<CatalogFile>readValue(in).apps().forEach(app -> apps.put(app.key(), app));
        } catch (IOException e) {
            throw new IllegalStateException("built-in catalog is invalid: " + e.getMessage(), e);
        }
        customFile.ifPresent(file -> {
            try (InputStream in = Files.newInputStream(file)) {
                READER.<CatalogFile>readValue(in).apps().forEach(app -> apps.put(app.key(), app));
            } catch (IOException e) {
                throw new IllegalStateException("custom catalog " + file + " is invalid: " + e.getMessage(), e);
            }
        });
        return new AppCatalog(apps);
    }

    public Optional<App> find(String key) {
        return key == null ? Optional.empty() : Optional.ofNullable(apps.get(key));
    }

    /** Every app, by key. */
    public Collection<App> all() {
        return new TreeMap<>(apps).values();
    }
}
