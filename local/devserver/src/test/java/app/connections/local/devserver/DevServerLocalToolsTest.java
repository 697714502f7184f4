package app.connections.local.devserver;

import static org.assertj.core.api.Assertions.assertThat;

import app.connections.local.aws.LocalAws;
import app.connections.local.aws.LocalAwsExtension;
import app.connections.local.aws.Template;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.yaml.snakeyaml.Yaml;

/** The dev server's local tools: the template's schedule, {@code POST /local/run/…}, the API docs. */
@ExtendWith(LocalAwsExtension.class)
class DevServerLocalToolsTest {
    static final HttpClient HTTP = HttpClient.newHttpClient();
    static final ObjectMapper JSON = new ObjectMapper();
    static DevServer server;
    static LocalAws local;

    @BeforeAll
    static void start(LocalAws stack) throws Exception {
        local = stack;
        server = DevServer.start(local, 0);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void theRefresherRunsOnTheRateOfItsScheduleEventInTheTemplate() {
        Template.ScheduleEvent inTemplate = local.function("RefresherFunction").scheduleEvents().get(0);
        ScheduledRuns.Plan plan = server.schedules().plan("RefresherFunction").orElseThrow();

        assertThat(plan.event()).isEqualTo(inTemplate);
        assertThat(plan.period()).isEqualTo(inTemplate.rate()).contains(Duration.ofMinutes(5)); // rate(5 minutes)
        assertThat(server.schedules().plans()).extracting(p -> p.function().definition().logicalId())
                .containsExactly("RefresherFunction"); // the template's only Schedule event

        List<String> timers = new ArrayList<>();
        List<String> log = new ArrayList<>();
        try (ScheduledRuns runs = new ScheduledRuns(List.of(plan.function()), local.stack(), log::add)) {
            runs.start(new ScheduledThreadPoolExecutor(1) {
                @Override
                public ScheduledFuture<?> scheduleAtFixedRate(Runnable command, long initialDelay, long period, TimeUnit unit) {
                    timers.add(unit.toMillis(initialDelay) + "/" + unit.toMillis(period));
                    return super.scheduleAtFixedRate(command, initialDelay, period, unit);
                }
            });
        }

        assertThat(timers).containsExactly("300000/300000");
        assertThat(log).singleElement().asString().contains("RefresherFunction runs every 5 minutes (rate(5 minutes)");
    }

    @Test
    void postLocalRunInvokesTheScheduledFunctionAtOnceAndAnswersItsResult() throws Exception {
        HttpResponse<String> run = post("/local/run/RefresherFunction");

        assertThat(run.statusCode()).isEqualTo(200);
        JsonNode summary = JSON.readTree(run.body());
        assertThat(summary.has("considered")).as(run.body()).isTrue();
        assertThat(summary.has("refreshed")).isTrue();
        // the template's 300 s timeout, not a shorter local one: the run is not cut short
        assertThat(summary.path("stoppedEarly").asBoolean()).isFalse();
    }

    @Test
    void localRunOfAFunctionWithoutAScheduleIs404() throws Exception {
        HttpResponse<String> run = post("/local/run/WorkspacesFunction");

        assertThat(run.statusCode()).isEqualTo(404);
        assertThat(run.body()).contains("RefresherFunction");
    }

    @Test
    void theOpenApiDocumentNamesThisServerAndTagsEveryOperationByFeature() throws Exception {
        HttpResponse<String> doc = get("/openapi.yaml");

        assertThat(doc.statusCode()).isEqualTo(200);
        assertThat(doc.headers().firstValue("content-type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/yaml"));
        Map<String, Object> yaml = new Yaml().load(doc.body());
        assertThat(list(yaml.get("servers"))).singleElement().satisfies(s -> assertThat(map(s).get("url")).isEqualTo(server.baseUrl()));
        Set<String> declared = new TreeSet<>();
        list(yaml.get("tags")).forEach(t -> declared.add((String) map(t).get("name")));
        map(yaml.get("paths")).forEach((path, operations) -> map(operations).forEach((method, op) -> {
            if (Set.of("get", "put", "post", "patch", "delete").contains(method)) {
                assertThat(list(map(op).get("tags"))).as(method + " " + path).singleElement().isIn(declared);
            }
        }));
    }

    @Test
    void theDocsPageRendersTheDocumentWithSwaggerUiFromItsWebjarUnderAStrictCsp() throws Exception {
        HttpResponse<String> page = get("/docs");

        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("content-security-policy")).hasValueSatisfying(csp -> assertThat(csp)
                .contains("default-src 'none'", "script-src 'self'", "connect-src 'self'").doesNotContain("http"));
        assertThat(page.body()).contains("/docs/swagger-ui-bundle.js", "/docs/init.js");
        assertThat(get("/docs/init.js").body()).contains("url: '/openapi.yaml'");
        HttpResponse<String> bundle = get("/docs/swagger-ui-bundle.js");
        assertThat(bundle.statusCode()).isEqualTo(200);
        assertThat(bundle.body()).contains("SwaggerUIBundle");
        assertThat(get("/docs/swagger-ui.css").statusCode()).isEqualTo(200);
        assertThat(get("/docs/index.html").statusCode()).isEqualTo(404); // only the files the page loads
    }

    private static HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + path)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> post(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + path)).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object o) {
        return (Map<String, Object>) o;
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Object o) {
        return (List<Object>) o;
    }

    @Test
    void bin_localsBannerNamesThePagesTheLocalToolsAndTheApiDocsOfTheRunningServer(LocalAws local) {
        var stack = local.stack().withApiBaseUrl("http://127.0.0.1:8787");

        String banner = DevServer.banner(stack, Seed.load(), java.nio.file.Path.of(".local/stack.json"));

        assertThat(banner).contains("http://127.0.0.1:8787/local/tools", "http://127.0.0.1:8787/llm-keys",
                "http://127.0.0.1:8787/portal/connections", "http://127.0.0.1:8787/docs", "http://127.0.0.1:8787/local/metrics");
    }
}
