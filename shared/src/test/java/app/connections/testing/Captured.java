package app.connections.testing;

import app.connections.platform.Json;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** What an action wrote to standard output, line by line: log lines and EMF metric lines. */
public final class Captured {
    public final List<JsonNode> lines;

    private Captured(List<JsonNode> lines) {
        this.lines = lines;
    }

    public static Captured during(Callable<?> action) throws Exception {
        PrintStream console = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            action.call();
        } finally {
            System.setOut(console);
        }
        List<JsonNode> lines = new ArrayList<>();
        for (String line : out.toString(StandardCharsets.UTF_8).split("\n")) {
            if (!line.isBlank()) {
                lines.add(Json.MAPPER.readTree(line)); // every line is one JSON object, or this throws
            }
        }
        return new Captured(lines);
    }

    /** The log lines (not metrics). */
    public List<JsonNode> logs() {
        return lines.stream().filter(l -> !l.has("_aws")).toList();
    }

    /** The EMF lines. */
    public List<JsonNode> emf() {
        return lines.stream().filter(l -> l.has("_aws")).toList();
    }

    /** One data point per EMF line that declares {@code metric} with {@code dimensions} as one of its dimension sets. */
    public record DataPoint(String namespace, List<List<String>> dimensionSets, JsonNode line, String unit) {
        public String dimension(String name) {
            return line.path(name).asText(null);
        }

        public double sum(String metric) {
            JsonNode v = line.path(metric);
            if (v.isArray()) {
                double s = 0;
                for (JsonNode x : v) {
                    s += x.asDouble();
                }
                return s;
            }
            return v.asDouble();
        }
    }

    /** Every EMF line that carries {@code metric}. */
    public List<DataPoint> metric(String metric) {
        List<DataPoint> points = new ArrayList<>();
        for (JsonNode line : emf()) {
            for (JsonNode directive : line.path("_aws").path("CloudWatchMetrics")) {
                for (JsonNode m : directive.path("Metrics")) {
                    if (m.path("Name").asText().equals(metric)) {
                        List<List<String>> sets = new ArrayList<>();
                        for (JsonNode set : directive.path("Dimensions")) {
                            List<String> names = new ArrayList<>();
                            set.forEach(n -> names.add(n.asText()));
                            sets.add(names);
                        }
                        points.add(new DataPoint(directive.path("Namespace").asText(), sets, line, m.path("Unit").asText()));
                    }
                }
            }
        }
        return points;
    }
}
