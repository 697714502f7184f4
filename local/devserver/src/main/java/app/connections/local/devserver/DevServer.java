package app.connections.local.devserver;

import app.connections.local.aws.LocalAws;
import app.connections.local.aws.MotoServer;
import app.connections.local.aws.ProviderStandIn;
import app.connections.local.aws.StackDescription;
import app.connections.local.aws.Template;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Every function of template.yaml in this JVM behind one HTTP server on localhost:
 * <ul>
 *   <li>HTTP API routes exactly as the template's HttpApi events declare them, each request
 *   turned into an API Gateway HTTP API payload v2 event, its Bearer JWT verified against the
 *   route's user pool as the JWT authorizer would, the claims placed where the authorizer places
 *   them;</li>
 *   <li>the Lambda Invoke API ({@code POST /2015-03-31/functions/{name}/invocations}) for every
 *   function, as {@code sam local start-lambda} serves it;</li>
 *   <li>the template's Schedule events on their rate ({@link #runSchedules()}), and
 *   {@code POST /local/run/{function}} to run one at once;</li>
 *   <li>the metrics the functions emit, one line per invocation and their totals at
 *   {@code /local/metrics} ({@link LocalMetrics});</li>
 *   <li>the HTTP API's OpenAPI document at {@code /openapi.yaml} (its server: this one, as the
 *   request names it) and Swagger UI at {@code /docs}.</li>
 * </ul>
 */
public final class DevServer implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern INVOKE = Pattern.compile("^/2015-03-31/functions/([^/]+)/invocations$");
    private static final Pattern RUN = Pattern.compile("^/local/run/([^/]+)$");
    private static final DateTimeFormatter REQUEST_TIME =
            DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ENGLISH).withZone(ZoneOffset.UTC);

    private final HttpServer server;
    private final List<Route> routes = new ArrayList<>();
    private final Map<String, LocalFunction> functionsByName = new LinkedHashMap<>();
    private final String baseUrl;
    private final ScheduledRuns schedules;
    private final StreamPolling streams;
    private final ApiDocs docs;
    private final LocalMetrics metrics = new LocalMetrics(System.out::println);
    /**
     * The pages (docs: README, "The pages"): the demo builder host with the connect dialog and picker,
     * LLM Keys, and the client portal at {@code /portal/connections} — the path the product documents,
     * which is also the portal API's {@code GET} route: a browser's navigation (HTML accepted, no
     * Authorization header) gets the page, every other request the API. Deployed, the pages live on
     * the builder's origin and the API on its own, so the two never meet.
     */
    private static final Map<String, String> STATIC_PAGES = Map.of("/", "/pages/builder.html", "/llm-keys", "/pages/llm-keys.html",
            "/portal/connections", "/pages/portal.html");
    /** The pages' modules and style sheet, from {@code /pages/connections/}. */
    private static final Pattern ASSET = Pattern.compile("^/connections/([a-z][a-z-]{0,40})\\.(js|css)$");
    /**
     * The pages' CSP, as strict as the OAuth result page's: scripts and styles from this origin only
     * (ES modules and one style sheet; no inline script, style or handler), calls to this origin only.
     */
    static final String PAGE_CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            + "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
    /** Dev-only: a fresh ID token for a seeded user (bin/local); null in tests. */
    private volatile java.util.function.Function<String, String> devTokens;
    /** Dev-only: the local tools page over the demo OAuth server; null unless {@link #serveLocalTools}. */
    private volatile LocalTools tools;

    private record Route(Template.HttpRoute route, Pattern pattern, List<String> params, LocalFunction function,
                         JwtAuthorizer authorizer) {
    }

    private DevServer(HttpServer server, LocalAws local, Map<String, String> localEnvironment) {
        this.server = server;
        baseUrl = "http://127.0.0.1:" + server.getAddress().getPort();
        Map<String, String> stackEnvironment = new LinkedHashMap<>();
        // the builder page and the OAuth callback are served here, so both point at this server
        stackEnvironment.put("BUILDER_ORIGIN", baseUrl);
        stackEnvironment.put("OAUTH_REDIRECT_URI", baseUrl + "/oauth/callback");
        stackEnvironment.putAll(localEnvironment);
        Template template = local.template();
        StackDescription stack = local.stack();
        Template.HttpApiAuth auth = template.httpApiAuth();
        Map<String, JwtAuthorizer> authorizers = new LinkedHashMap<>();
        var intrinsics = stack.intrinsics(template);
        auth.authorizers().forEach((name, a) -> {
            String issuer = intrinsics.string(a.issuer());
            String poolId = issuer.substring(issuer.lastIndexOf('/') + 1);
            List<String> audience = a.audience().stream().map(intrinsics::string).toList();
            authorizers.put(name, new JwtAuthorizer(name, issuer, audience,
                    stack.endpoint() + "/" + poolId + "/.well-known/jwks.json"));
        });
        for (Template.Function definition : template.functions()) {
            String name = stack.resources().get(definition.logicalId()).ref();
            Map<String, String> env = new LinkedHashMap<>(stack.environmentOf(template, definition));
            env.putAll(stackEnvironment);
            LocalFunction function = new LocalFunction(definition, name, env);
            functionsByName.put(name, function);
            functionsByName.put(definition.logicalId(), function);
            for (Template.HttpRoute route : definition.routes()) {
                List<String> params = new ArrayList<>();
                Template.JwtAuthorizer a = auth.authorizerOf(route);
                routes.add(new Route(route, pathPattern(route.path(), params), params, function,
                        a == null ? null : authorizers.get(a.name())));
            }
        }
        schedules = new ScheduledRuns(functionsByName.values(), stack, System.out::println);
        streams = new StreamPolling(template, stack, functionsByName, System.out::println);
        streams.start();
        docs = new ApiDocs(local.root().resolve("docs/openapi.yaml"), baseUrl);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", this::handle);
        server.start();
    }

    /** Starts the dev server on {@code port} (0 for any free one) over a running local stack. */
    public static DevServer start(LocalAws local, int port) throws IOException {
        return start(local, port, Map.of());
    }

    /**
     * Starts the dev server; {@code localEnvironment} is added to every function's template
     * environment. The local stack always lets provider calls reach loopback (stand-in providers).
     */
    public static DevServer start(LocalAws local, int port, Map<String, String> localEnvironment) throws IOException {
        return start(bind(port), local, localEnvironment);
    }

    /** The dev server on a socket bound earlier ({@link #bind(int)}). */
    static DevServer start(HttpServer bound, LocalAws local, Map<String, String> localEnvironment) {
        Map<String, String> env = new LinkedHashMap<>(localEnvironment);
        env.put("OUTBOUND_ALLOW_LOOPBACK", "true");
        return new DevServer(bound, local, env);
    }

    /** Binds the loopback port (0 for any free one); a busy port throws {@link java.net.BindException}. */
    static HttpServer bind(int port) throws IOException {
        return HttpServer.create(new InetSocketAddress("127.0.0.1", port), 64);
    }

    /** Runs the template's Schedule events on their rate (bin/local; tests trigger runs themselves). */
    public void runSchedules() {
        schedules.start();
    }

    ScheduledRuns schedules() {
        return schedules;
    }

    /** Serves {@code GET /_dev/token?email=…} for the demo page (local stack only). */
    public void serveDevTokens(java.util.function.Function<String, String> tokens) {
        this.devTokens = tokens;
    }

    /** Serves the local tools page ({@code /local/tools}) over this demo OAuth server (local stack only). */
    void serveLocalTools(LocalAws local, DemoProvider demo) {
        LocalFunction resolver = functionsByName.get("ResolverFunction");
        tools = new LocalTools(demo, new app.connections.connection.aws.DynamoConnectionStore(local.clients().dynamo(),
                local.stack().table()), payload -> {
                    try {
                        return resolver.invoke(payload);
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                });
    }

    public String baseUrl() {
        return baseUrl;
    }

    @Override
    public void close() {
        streams.close();
        schedules.close();
        server.stop(0);
        try {
            metrics.close();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * README command 1 (bin/local): moto, the bootstrap from template.yaml, the seed, and the dev
     * server, one progress line per step. The port is taken first: when it is busy, one line says so
     * and nothing is started. Any failure stops moto and ends the process.
     */
    public static void main(String[] args) throws Exception {
        long began = System.nanoTime();
        String configured = Optional.ofNullable(System.getenv("CONNECTIONS_PORT")).filter(p -> !p.isBlank()).orElse("8787");
        int port;
        HttpServer bound;
        try {
            port = Integer.parseInt(configured.strip());
            bound = bind(port);
        } catch (IllegalArgumentException e) { // not a number, or out of range
            System.err.println("bin/local: CONNECTIONS_PORT=" + configured + " is not a port number");
            System.exit(2);
            return;
        } catch (java.net.BindException e) {
            System.err.println(busyPort(configured.strip()));
            System.exit(1);
            return;
        }
        MotoServer moto = null;
        try {
            Path root = LocalAws.projectRoot();
            Template template = Template.load(root.resolve("template.yaml"));
            long t = System.nanoTime();
            moto = MotoServer.start(root);
            step("moto", moto.endpoint() + " (log: .local/moto-*.log)", t);

            t = System.nanoTime();
            StackDescription stack = LocalAws.bootstrap(moto.endpoint(), template);
            Path described = root.resolve(".local/stack.json");
            stack.write(described);
            step("stack", stack.resources().size() + " resources of template.yaml created in moto; .local/stack.json", t);

            t = System.nanoTime();
            LocalAws local = LocalAws.get();
            Seed seed = Seed.load();
            seed.apply(local);
            ProviderStandIn provider = new ProviderStandIn();
            seed.standInKeys().forEach(provider::accept);
            String secretPrefix = local.environmentOf(template.functions().get(0).logicalId()).get("SECRET_NAME_PREFIX");
            DemoProvider demo = new DemoProvider(local, secretPrefix);
            // the stand-ins, plus the developer's own CATALOG_FILE apps (added, not replacing the stand-ins)
            java.util.List<com.fasterxml.jackson.databind.JsonNode> standIns = new java.util.ArrayList<>();
            JSON.readTree(provider.catalog()).path("apps").forEach(standIns::add);
            standIns.add(JSON.readTree(demo.catalogApp()));
            Optional<Path> developers = Optional.ofNullable(System.getenv("CATALOG_FILE")).filter(v -> !v.isBlank()).map(Path::of);
            Path catalogFile = root.resolve(".local/dev-catalog.json");
            java.nio.file.Files.writeString(catalogFile, JSON.writeValueAsString(DevCatalog.merge(standIns, developers)));
            String catalog = catalogFile.toString();
            java.util.List<String> registered = DevCatalog.register(root.resolve(DevCatalog.REGISTRATIONS), local, secretPrefix);
            step("seed", plural(seed.accounts().size(), "account") + ", "
                    + plural(seed.accounts().stream().mapToInt(a -> a.workspaces().size()).sum(), "workspace") + ", "
                    + plural(seed.users().size(), "user") + ", the demo OAuth server, the key-check stand-in"
                    + developers.map(f -> ", your catalog " + f).orElse("")
                    + (registered.isEmpty() ? "" : ", OAuth clients of " + String.join(", ", registered) + " (" + DevCatalog.REGISTRATIONS + ")"), t);

            DevServer server = start(bound, local, Map.of("CATALOG_FILE", catalog));
            server.serveDevTokens(email -> seed.token(local.stack(), email));
            server.serveLocalTools(local, demo);
            StackDescription running = stack.withApiBaseUrl(server.baseUrl())
                    .withOAuthClientSecretPrefix(app.connections.oauth.aws.SecretsManagerOAuthClients.secretName(secretPrefix, ""));
            running.write(described);
            server.runSchedules();
            System.out.println(banner(running, seed, described));
            String since = Optional.ofNullable(System.getenv("CONNECTIONS_LOCAL_STARTED_MS")).filter(v -> v.matches("\\d+"))
                    .map(ms -> "; " + duration((System.currentTimeMillis() - Long.parseLong(ms)) / 1000.0)
                            + " since bin/local started").orElse("");
            step("ready", server.baseUrl() + " (Ctrl-C stops it all)", began, since);
            int exit = moto.waitFor();
            System.err.println("bin/local: moto exited with " + exit + "; stopping");
            server.close();
            System.exit(1);
        } catch (Exception | Error e) {
            System.err.println("bin/local: " + e.getClass().getSimpleName() + ": " + e.getMessage());
            e.printStackTrace();
            if (moto != null) {
                moto.close();
            }
            System.exit(1);
        }
    }

    static String busyPort(String port) {
        return "bin/local: port " + port + " is already in use (another bin/local?); stop what uses it, "
                + "or choose another port: CONNECTIONS_PORT=<port> bin/local";
    }

    private static void step(String name, String what, long startedNanos) {
        step(name, what, startedNanos, "");
    }

    private static void step(String name, String what, long startedNanos, String more) {
        System.out.println("==> " + name + ": " + what + " [" + seconds(startedNanos) + more + "]");
    }

    private static String plural(int n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }

    private static String seconds(long startedNanos) {
        return duration((System.nanoTime() - startedNanos) / 1e9);
    }

    static String duration(double seconds) {
        return seconds < 60 ? String.format(Locale.ROOT, "%.1f s", seconds)
                : String.format(Locale.ROOT, "%d min %d s", (long) seconds / 60, (long) seconds % 60);
    }

    static String banner(StackDescription stack, Seed seed, Path described) {
        return """

                Connections dev stack is up.
                  API            %s
                  AWS (moto)     %s  region %s
                  Stack file     %s

                Get a token for a seeded user, then call the API:
                  TOKEN=$(bin/token %s)
                  curl -H "Authorization: Bearer $TOKEN" %s/accounts/%s/workspaces

                Seeded users: %s
                Freshdesk and OpenAI key checks go to a local stand-in that accepts: %s

                Add a user of any role: bin/user add <email> --account <id> [--account-role admin|member]
                  [--workspace <id> --role admin|editor]... or bin/user add <email> --account <id> --portal <workspace>

                The pages (no curl needed): %s/ - a builder node: "Connect New Account" (app "demo", a
                local OAuth server: sign in with any user name; Freshdesk with a key), "Select an account";
                %s/llm-keys - LLM Keys (account admins); %s/portal/connections - the client portal
                (as client@acme.test). Act as another seeded user: add #user=<email> to a page's URL.
                Break a Demo CRM connection as its user would (remove the app's access at the provider),
                then see the banner and Reconnect in the builder: %s/local/tools
                The API, documented and callable: %s/docs (OpenAPI document: %s/openapi.yaml)
                Invoke any function: bin/invoke <FunctionLogicalId> <event.json>
                The scheduled refresher runs on the template's rate; run it now:
                  curl -X POST %s/local/run/RefresherFunction
                Metrics: one "metrics <function>:" line per invocation here; totals at %s/local/metrics
                Your own apps: CATALOG_FILE=<file> bin/local adds them; their OAuth clients go in .local/oauth-apps.json
                (README, "Adding an app")
                Stop with Ctrl-C.
                """.formatted(stack.apiBaseUrl(), stack.endpoint(), stack.region(), described,
                seed.accountAdminEmail(), stack.apiBaseUrl(), seed.demoAccountId(), String.join(", ", seed.emails()),
                String.join(", ", seed.standInKeys().keySet()), stack.apiBaseUrl(), stack.apiBaseUrl(), stack.apiBaseUrl(),
                stack.apiBaseUrl(), stack.apiBaseUrl(), stack.apiBaseUrl(), stack.apiBaseUrl(), stack.apiBaseUrl());
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getRawPath();
            String method = exchange.getRequestMethod().toUpperCase(Locale.ROOT);
            Matcher invoke = INVOKE.matcher(path);
            if (invoke.matches() && method.equals("POST")) {
                invokeFunction(exchange, URLDecoder.decode(invoke.group(1), StandardCharsets.UTF_8));
                return;
            }
            Matcher run = RUN.matcher(path);
            if (run.matches() && method.equals("POST")) {
                runNow(exchange, URLDecoder.decode(run.group(1), StandardCharsets.UTF_8));
                return;
            }
            LocalTools localTools = tools;
            if (localTools != null && path.startsWith("/local/") && localTools.handle(exchange, method, path)) {
                return;
            }
            if (method.equals("GET") && path.equals("/local/metrics")) {
                send(exchange, 200, Map.of("content-type", "text/plain; charset=utf-8", "cache-control", "no-store"),
                        metrics.page().getBytes(StandardCharsets.UTF_8));
                return;
            }
            if (method.equals("GET") && docs.serves(path)) {
                docs.serve(exchange, path);
                return;
            }
            if (method.equals("GET") && STATIC_PAGES.containsKey(path) && (!path.equals("/portal/connections") || isNavigation(exchange))) {
                servePage(exchange, STATIC_PAGES.get(path));
                return;
            }
            if (method.equals("GET") && path.equals("/portal")) {
                send(exchange, 302, Map.of("location", "/portal/connections"), new byte[0]);
                return;
            }
            Matcher asset = ASSET.matcher(path);
            if (method.equals("GET") && asset.matches()) {
                serveAsset(exchange, "/pages/connections/" + asset.group(1) + "." + asset.group(2), asset.group(2));
                return;
            }
            if (method.equals("GET") && path.equals("/_dev/token") && devTokens != null) {
                String email = Optional.ofNullable(exchange.getRequestURI().getQuery()).map(q -> q.replaceFirst("^email=", ""))
                        .map(q -> URLDecoder.decode(q, StandardCharsets.UTF_8)).orElse("");
                send(exchange, 200, Map.of("content-type", "application/json", "cache-control", "no-store"),
                        JSON.writeValueAsBytes(Map.of("token", devTokens.apply(email))));
                return;
            }
            for (Route route : routes) {
                Matcher m = route.pattern().matcher(path);
                if (route.route().method().equals(method) && m.matches()) {
                    callRoute(exchange, route, m);
                    return;
                }
            }
            send(exchange, 404, Map.of("content-type", "application/json"), "{\"message\":\"Not Found\"}".getBytes(StandardCharsets.UTF_8));
        } catch (RuntimeException e) {
            e.printStackTrace();
            send(exchange, 500, Map.of("content-type", "application/json"),
                    "{\"message\":\"Internal Server Error\"}".getBytes(StandardCharsets.UTF_8));
        }
    }

    private void callRoute(HttpExchange exchange, Route route, Matcher m) throws IOException {
        Map<String, String> claims = null;
        if (route.authorizer() != null) {
            Optional<Map<String, String>> verified = route.authorizer().verify(exchange.getRequestHeaders().getFirst("Authorization"));
            if (verified.isEmpty()) {
                send(exchange, 401, Map.of("content-type", "application/json", "www-authenticate", "Bearer"),
                        "{\"message\":\"Unauthorized\"}".getBytes(StandardCharsets.UTF_8));
                return;
            }
            claims = verified.get();
        }
        Map<String, String> pathParameters = new LinkedHashMap<>();
        for (int i = 0; i < route.params().size(); i++) {
            pathParameters.put(route.params().get(i), URLDecoder.decode(m.group(i + 1).replace("+", "%2B"), StandardCharsets.UTF_8));
        }
        byte[] body;
        try (InputStream in = exchange.getRequestBody()) {
            body = in.readNBytes(10 * 1024 * 1024 + 1);
        }
        if (body.length > 10 * 1024 * 1024) {
            send(exchange, 413, Map.of("content-type", "application/json"), "{\"message\":\"Request Entity Too Large\"}".getBytes(StandardCharsets.UTF_8));
            return;
        }
        byte[] payload = JSON.writeValueAsBytes(apiGatewayEvent(exchange, route, pathParameters, claims, body));
        JsonNode response = JSON.readTree(route.function().invoke(payload));
        int status = response.path("statusCode").asInt(200);
        Map<String, String> headers = new LinkedHashMap<>();
        response.path("headers").fields().forEachRemaining(h -> headers.put(h.getKey(), h.getValue().asText()));
        JsonNode bodyNode = response.get("body");
        byte[] out = bodyNode == null || bodyNode.isNull() ? new byte[0]
                : response.path("isBase64Encoded").asBoolean(false) ? Base64.getDecoder().decode(bodyNode.asText())
                : bodyNode.asText().getBytes(StandardCharsets.UTF_8);
        send(exchange, status, headers, out);
    }

    /** The API Gateway HTTP API payload format 2.0 event for this request. */
    private static Map<String, Object> apiGatewayEvent(HttpExchange exchange, Route route, Map<String, String> pathParameters,
                                                       Map<String, String> claims, byte[] body) {
        Map<String, String> headers = new LinkedHashMap<>();
        exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), String.join(",", v)));
        String rawQuery = Optional.ofNullable(exchange.getRequestURI().getRawQuery()).orElse("");
        Map<String, String> query = new LinkedHashMap<>();
        if (!rawQuery.isEmpty()) {
            for (String pair : rawQuery.split("&")) {
                if (pair.isEmpty()) {
                    continue;
                }
                int eq = pair.indexOf('=');
                String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                query.merge(k, v, (a, b) -> a + "," + b);
            }
        }
        Instant now = Instant.now();
        Map<String, Object> http = new LinkedHashMap<>();
        http.put("method", route.route().method());
        http.put("path", exchange.getRequestURI().getRawPath());
        http.put("protocol", exchange.getProtocol());
        http.put("sourceIp", exchange.getRemoteAddress().getAddress().getHostAddress());
        http.put("userAgent", headers.getOrDefault("user-agent", ""));
        Map<String, Object> context = new LinkedHashMap<>();
        context.put("accountId", "123456789012");
        context.put("apiId", "local");
        if (claims != null) {
            context.put("authorizer", Map.of("jwt", Map.of("claims", claims)));
        }
        context.put("domainName", headers.getOrDefault("host", "127.0.0.1"));
        context.put("domainPrefix", "local");
        context.put("http", http);
        context.put("requestId", UUID.randomUUID().toString());
        context.put("routeKey", route.route().routeKey());
        context.put("stage", "$default");
        context.put("time", REQUEST_TIME.format(now));
        context.put("timeEpoch", now.toEpochMilli());
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("version", "2.0");
        event.put("routeKey", route.route().routeKey());
        event.put("rawPath", exchange.getRequestURI().getRawPath());
        event.put("rawQueryString", rawQuery);
        event.put("headers", headers);
        if (!query.isEmpty()) {
            event.put("queryStringParameters", query);
        }
        if (!pathParameters.isEmpty()) {
            event.put("pathParameters", pathParameters);
        }
        event.put("requestContext", context);
        if (body.length > 0) {
            boolean text = headers.getOrDefault("content-type", "").matches("(?i)^(application/(json|x-www-form-urlencoded)|text/).*");
            event.put("body", text ? new String(body, StandardCharsets.UTF_8) : Base64.getEncoder().encodeToString(body));
            event.put("isBase64Encoded", !text);
        } else {
            event.put("isBase64Encoded", false);
        }
        return event;
    }

    private void invokeFunction(HttpExchange exchange, String name) throws IOException {
        LocalFunction function = functionsByName.get(name);
        if (function == null) {
            send(exchange, 404, Map.of("content-type", "application/json", "x-amzn-errortype", "ResourceNotFoundException"),
                    JSON.writeValueAsBytes(Map.of("Type", "User", "message", "Function not found: " + name)));
            return;
        }
        byte[] payload;
        try (InputStream in = exchange.getRequestBody()) {
            payload = in.readAllBytes();
        }
        try {
            send(exchange, 200, Map.of("content-type", "application/json", "x-amz-executed-version", "$LATEST"),
                    function.invoke(payload.length == 0 ? "{}".getBytes(StandardCharsets.UTF_8) : payload));
        } catch (RuntimeException e) {
            send(exchange, 200, Map.of("content-type", "application/json", "x-amz-function-error", "Unhandled"),
                    JSON.writeValueAsBytes(Map.of("errorMessage", String.valueOf(e.getMessage()),
                            "errorType", e.getClass().getName())));
        }
    }

    /** {@code POST /local/run/{function}}: one run of a scheduled function now, with its result. */
    private void runNow(HttpExchange exchange, String name) throws IOException {
        Optional<ScheduledRuns.Plan> plan = schedules.plan(name);
        if (plan.isEmpty()) {
            send(exchange, 404, Map.of("content-type", "application/json"), JSON.writeValueAsBytes(Map.of("message",
                    "no function with a Schedule event named " + name + "; scheduled: "
                            + schedules.plans().stream().map(p -> p.function().definition().logicalId()).distinct().toList())));
            return;
        }
        try {
            send(exchange, 200, Map.of("content-type", "application/json"), schedules.run(plan.get(), "local/run"));
        } catch (RuntimeException e) {
            send(exchange, 500, Map.of("content-type", "application/json"), JSON.writeValueAsBytes(Map.of(
                    "errorMessage", String.valueOf(e.getMessage()), "errorType", e.getClass().getName())));
        }
    }

    private void servePage(HttpExchange exchange, String resource) throws IOException {
        try (InputStream in = DevServer.class.getResourceAsStream(resource)) {
            send(exchange, 200, Map.of("content-type", "text/html; charset=utf-8", "cache-control", "no-store",
                    "content-security-policy", PAGE_CSP, "referrer-policy", "no-referrer", "x-content-type-options", "nosniff"),
                    in.readAllBytes());
        }
    }

    private void serveAsset(HttpExchange exchange, String resource, String type) throws IOException {
        try (InputStream in = DevServer.class.getResourceAsStream(resource)) {
            if (in == null) {
                send(exchange, 404, Map.of("content-type", "application/json"), "{\"message\":\"Not Found\"}".getBytes(StandardCharsets.UTF_8));
                return;
            }
            send(exchange, 200, Map.of("content-type", (type.equals("js") ? "text/javascript" : "text/css") + "; charset=utf-8",
                    "cache-control", "no-store", "x-content-type-options", "nosniff"), in.readAllBytes());
        }
    }

    /** A browser navigating to a page: HTML accepted and no token presented (the pages call the API with one). */
    static boolean isNavigation(HttpExchange exchange) {
        String accept = Optional.ofNullable(exchange.getRequestHeaders().getFirst("Accept")).orElse("");
        return accept.contains("text/html") && exchange.getRequestHeaders().getFirst("Authorization") == null;
    }

    static void send(HttpExchange exchange, int status, Map<String, String> headers, byte[] body) throws IOException {
        headers.forEach((k, v) -> exchange.getResponseHeaders().set(k, v));
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            exchange.getResponseBody().write(body);
        }
    }

    /** {@code /a/{x}/b} to {@code ^/a/([^/]+)/b$}; {@code {x+}} matches the rest of the path. */
    static Pattern pathPattern(String template, List<String> params) {
        StringBuilder regex = new StringBuilder("^");
        Matcher m = Pattern.compile("\\{([A-Za-z0-9_]+)(\\+?)}").matcher(template);
        int last = 0;
        while (m.find()) {
            regex.append(Pattern.quote(template.substring(last, m.start())));
            params.add(m.group(1));
            regex.append(m.group(2).isEmpty() ? "([^/]+)" : "(.+)");
            last = m.end();
        }
        regex.append(Pattern.quote(template.substring(last))).append("$");
        return Pattern.compile(regex.toString());
    }
}
