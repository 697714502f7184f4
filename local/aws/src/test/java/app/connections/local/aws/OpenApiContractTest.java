package app.connections.local.aws;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/** docs/openapi.yaml and template.yaml describe the same routes: none missing on either side. */
class OpenApiContractTest {
    private static final Set<String> METHODS = Set.of("get", "put", "post", "patch", "delete");

    @Test
    void theOpenApiDocumentHasExactlyTheTemplatesRoutes() throws Exception {
        Path root = LocalAws.projectRoot();
        Set<String> templateRoutes = new TreeSet<>();
        Template.load(root.resolve("template.yaml")).functions()
                .forEach(f -> f.routes().forEach(r -> templateRoutes.add(r.routeKey())));

        Set<String> documented = new TreeSet<>();
        try (Reader reader = Files.newBufferedReader(root.resolve("docs/openapi.yaml"))) {
            Map<String, Object> doc = new Yaml().load(reader);
            Template.asMap(doc.get("paths")).forEach((path, ops) -> Template.asMap(ops).keySet().stream()
                    .filter(METHODS::contains)
                    .forEach(method -> documented.add(method.toUpperCase(Locale.ROOT) + " " + path)));
        }

        assertThat(documented).isEqualTo(templateRoutes);
    }
}
