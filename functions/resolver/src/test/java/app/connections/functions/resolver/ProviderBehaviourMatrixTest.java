package app.connections.functions.resolver;

import static org.assertj.core.api.Assertions.assertThat;

import app.connections.api.lambda.LocalLambdaContext;
import app.connections.connection.Connection;
import app.connections.connection.ConnectionStatus;
import app.connections.connection.TokenSchedule;
import app.connections.refresh.RefreshReason;
import app.connections.refresh.RefreshRun;
import app.connections.local.aws.LocalAws;
import app.connections.local.aws.LocalAwsExtension;
import app.connections.platform.Json;
import app.connections.testing.OAuthWorld;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.InetAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntSupplier;
import java.util.stream.Stream;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.OAuth2Config;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Refresh converges for every provider: access-token lifetimes from 30 seconds to a day and none at
 * all, refresh tokens that rotate and that do not, on the token-endpoint stand-in and on a real
 * OAuth 2.0 server (mock-oauth2-server issuing short tokens). For each: a resolve answers at once
 * with a usable token after at most one token request; fifty concurrent resolves make at most one;
 * scheduled runs refresh a connection at most once per run and never a token just issued; and no
 * way of asking refreshes a connection more often than the rate guard allows.
 */
@ExtendWith(LocalAwsExtension.class)
class ProviderBehaviourMatrixTest {
    /** "At once": no loop, no waiting out a lease; generous, as a busy 2-core machine runs the suite. */
    private static final Duration ANSWER_WITHIN = Duration.ofSeconds(5);
    private static final Duration PERIOD = Duration.ofMinutes(5);
    private static final List<Optional<Duration>> LIFETIMES = List.of(Optional.of(Duration.ofSeconds(30)),
            Optional.of(Duration.ofSeconds(60)), Optional.of(Duration.ofMinutes(5)), Optional.of(Duration.ofMinutes(14)),
            Optional.of(Duration.ofMinutes(15)), Optional.of(Duration.ofMinutes(16)), Optional.of(Duration.ofHours(1)),
            Optional.of(Duration.ofHours(24)), Optional.empty());

    private static MockOAuth2Server realServer;
    private static LocalAws local;
    private OAuthWorld world;
    private ResolverHandler resolver;
    private RefreshRun refresher;

    @BeforeAll
    static void startTheRealServer() {
        StringBuilder callbacks = new StringBuilder();
        for (Optional<Duration> lifetime : LIFETIMES) {
            lifetime.ifPresent(l -> callbacks.append(callbacks.isEmpty() ? "" : ",").append("""
                    {"issuerId": "%s", "tokenExpiry": %d,
                     "requestMappings": [{"requestParam": "grant_type", "match": "*", "claims": {"sub": "matrix-user"}}]}
                    """.formatted(issuer(l), l.toSeconds())));
        }
        realServer = new MockOAuth2Server(OAuth2Config.Companion.fromJson(
                "{\"interactiveLogin\": false, \"tokenCallbacks\": [" + callbacks + "]}"));
        realServer.start(InetAddress.getLoopbackAddress(), 0);
    }

    @AfterAll
    static void stopTheRealServer() {
        realServer.shutdown();
    }

    private static String issuer(Duration lifetime) {
        return "ttl" + lifetime.toSeconds();
    }

    private static String label(Optional<Duration> lifetime) {
        return lifetime.map(Duration::toString).orElse("no expires_in");
    }

    private void start(LocalAws stack) throws Exception {
        local = stack;
        List<String> realApps = new ArrayList<>();
        for (Optional<Duration> lifetime : LIFETIMES) {
            lifetime.ifPresent(l -> realApps.add("""
                    {"key": "real-%1$s", "name": "Real OAuth server (%1$s)", "credentialKinds": ["OAUTH2"],
                     "oauth2": {"authorizationUrl": "%2$s/authorize", "tokenUrl": "%2$s/token", "scopes": ["openid"],
                                "pkce": false, "clientAuth": "client_secret_basic",
                                "identity": {"from": "id_token", "pointers": ["sub"]}}}
                    """.formatted(issuer(l), realServer.issuerUrl(issuer(l)).toString().replaceAll("/$", ""))));
        }
        world = new OAuthWorld(stack, "ResolverFunction", Map.of(), (service, builder) -> { }, realApps);
        for (Optional<Duration> lifetime : LIFETIMES) {
            lifetime.ifPresent(l -> world.registerClient("real-" + issuer(l), "matrix-client", "matrix-secret"));
        }
        resolver = new ResolverHandler(world.services.resolver(), world.services.grants());
        refresher = new RefreshRun(onlyThisWorldsConnections(), world.services.tokenRefresher(), world.services.revocations(),
                world.clock, 4);
    }

    /**
     * The store as the scheduled run sees it, narrowed to this world's connections: the {@code due}
     * answer is what the index holds for them (their stored sweep time), without querying a table that
     * every earlier test has filled. The index itself is tested by RefresherTest.
     */
    private app.connections.connection.ConnectionStore onlyThisWorldsConnections() {
        var store = world.store;
        return (app.connections.connection.ConnectionStore) java.lang.reflect.Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {app.connections.connection.ConnectionStore.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "dueShards" -> 1;
                    case "due" -> new app.connections.connection.Page<>(mine.stream().map(id -> store.find(id).orElseThrow())
                            .filter(c -> c.status() == app.connections.connection.ConnectionStatus.ACTIVE)
                            .filter(c -> c.tokenSchedule().filter(TokenSchedule::refreshable)
                                    .filter(t -> !t.nextSweep().isAfter((Instant) args[1])).isPresent())
                            .map(Connection::id).toList(), Optional.empty());
                    default -> {
                        try {
                            yield method.invoke(store, args);
                        } catch (java.lang.reflect.InvocationTargetException e) {
                            throw e.getCause();
                        }
                    }
                });
    }

    private final List<String> mine = new java.util.concurrent.CopyOnWriteArrayList<>();

    @AfterEach
    void tearDown() {
        if (world != null) {
            world.close();
        }
    }

    static Stream<Arguments> standInCases() {
        return LIFETIMES.stream().flatMap(l -> Stream.of(Arguments.of(label(l), l, true), Arguments.of(label(l), l, false)));
    }

    static Stream<Arguments> realServerCases() {
        return LIFETIMES.stream().filter(Optional::isPresent).map(l -> Arguments.of(label(l), l));
    }

    @ParameterizedTest(name = "stand-in, access tokens of {0}, rotating refresh tokens: {2}")
    @MethodSource("standInCases")
    void refreshConvergesOnTheStandIn(String name, Optional<Duration> lifetime, boolean rotates, LocalAws stack) throws Exception {
        start(stack);
        world.provider.expiresIn(lifetime.map(Duration::toSeconds).orElse(-1L));
        world.provider.rotatesRefreshTokens(rotates);
        IntSupplier requests = world.provider::refreshCalls;
        Connection c = world.oauthConnection("acct-matrix", lifetime, Duration.ZERO);
        mine.add(c.id());

        // a token just granted is handed out as it is
        assertAnswersWithAUsableToken(c, requests, 0);

        // at its due time (without a lifetime: two days on) one request at most
        String refreshTokenBefore = world.tokens(c).get("refreshToken");
        moveToDueTime(c, lifetime);
        assertAnswersWithAUsableToken(c, requests, lifetime.isPresent() ? 1 : 0);
        if (lifetime.isPresent()) {
            assertThat(world.tokens(c).get("refreshToken")).as("rotated, or kept when the answer has none")
                    .satisfies(rt -> assertThat(rt.equals(refreshTokenBefore)).isEqualTo(!rotates));
        }
        // and right after, none
        assertAnswersWithAUsableToken(c, requests, 0);

        // fifty concurrent resolves at the next due time (without a lifetime: all told their token was rejected)
        moveToDueTime(c, lifetime);
        int before = requests.getAsInt();
        List<Object> handedOut = concurrently(50, c, lifetime.isEmpty());
        assertThat(requests.getAsInt() - before).as("token requests of 50 concurrent resolves").isLessThanOrEqualTo(1);
        assertThat(handedOut).hasSize(50).containsOnly(world.tokens(c).get("accessToken"));

        assertScheduledRunsRefreshAtMostOnceAndNeverAFreshToken(c, lifetime, requests);
        assertNoWayOfAskingBeatsTheRateGuard(c, requests);
        assertThat(world.reload(c).status()).isEqualTo(ConnectionStatus.ACTIVE);
    }

    @ParameterizedTest(name = "real OAuth server, access tokens of {0}")
    @MethodSource("realServerCases")
    void refreshConvergesOnARealOAuthServer(String name, Optional<Duration> lifetime, LocalAws stack) throws Exception {
        start(stack);
        String app = "real-" + issuer(lifetime.orElseThrow());
        JsonNode granted = codeGrant(issuer(lifetime.get()));
        // the server counts from its own clock, a second or two before our request returns on a busy machine
        assertThat(granted.path("expires_in").asLong()).isBetween(lifetime.get().toSeconds() - 5, lifetime.get().toSeconds());
        Optional<Duration> grantedLifetime = Optional.of(Duration.ofSeconds(granted.path("expires_in").asLong()));
        Connection c = world.connectionWithTokens(app, "matrix-user", granted.path("access_token").asText(),
                granted.path("refresh_token").asText(), Optional.of(granted.path("expires_in").asLong()));
        mine.add(c.id());
        IntSupplier requests = () -> secretVersions(c) - 1; // each refresh on the real server stores one version

        assertAnswersWithAUsableToken(c, requests, 0);
        moveToDueTime(c, lifetime);
        assertAnswersWithAUsableToken(c, requests, 1);
        assertAnswersWithAUsableToken(c, requests, 0);

        moveToDueTime(c, lifetime);
        int before = requests.getAsInt();
        List<Object> handedOut = concurrently(50, c, false);
        assertThat(requests.getAsInt() - before).as("token requests of 50 concurrent resolves").isLessThanOrEqualTo(1);
        assertThat(handedOut).hasSize(50).containsOnly(world.tokens(c).get("accessToken"));

        assertScheduledRunsRefreshAtMostOnceAndNeverAFreshToken(c, grantedLifetime, requests);
        assertNoWayOfAskingBeatsTheRateGuard(c, requests);
    }

    private void moveToDueTime(Connection c, Optional<Duration> lifetime) {
        TokenSchedule t = world.reload(c).tokenSchedule().orElseThrow();
        Instant target = t.dueAt().orElse(world.clock.instant().plus(Duration.ofDays(2)));
        if (target.isAfter(world.clock.instant())) {
            world.clock.advance(Duration.between(world.clock.instant(), target));
        }
    }

    /** One resolve: an answer within two seconds, a token that has not expired, {@code expectedRequests} made. */
    private void assertAnswersWithAUsableToken(Connection c, IntSupplier requests, int expectedRequests) throws Exception {
        int before = requests.getAsInt();
        long started = System.nanoTime();
        Map<String, Object> answer = resolve(c, "run-" + System.nanoTime(), false);
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        assertThat(answer.get("status")).as(answer.toString()).isEqualTo("ok");
        assertThat(took).as("the resolve answered at once").isLessThan(ANSWER_WITHIN);
        assertThat(requests.getAsInt() - before).as("token requests of one resolve").isEqualTo(expectedRequests);
        @SuppressWarnings("unchecked")
        Map<String, Object> credential = (Map<String, Object>) answer.get("credential");
        assertThat(credential.get("accessToken")).isEqualTo(world.tokens(c).get("accessToken"));
        Optional.ofNullable((String) credential.get("expiresAt")).map(Instant::parse)
                .ifPresent(at -> assertThat(at).as("a usable token").isAfter(world.clock.instant()));
    }

    private void assertScheduledRunsRefreshAtMostOnceAndNeverAFreshToken(Connection c, Optional<Duration> lifetime,
                                                                     IntSupplier requests) throws Exception {
        TokenSchedule t = world.reload(c).tokenSchedule().orElseThrow();
        Instant firstRun = t.sweepAt().minus(PERIOD);
        if (firstRun.isAfter(world.clock.instant())) {
            world.clock.advance(Duration.between(world.clock.instant(), firstRun));
        }
        for (int run = 0; run < 3; run++) {
            TokenSchedule before = world.reload(c).tokenSchedule().orElseThrow();
            int made = requests.getAsInt();
            scheduledRun();
            int refreshes = requests.getAsInt() - made;
            assertThat(refreshes).as("refreshes of one connection in run %d", run).isLessThanOrEqualTo(1);
            if (refreshes == 1) {
                Duration age = Duration.between(before.issuedAt(), world.clock.instant());
                Duration granted = before.expiresAt().map(e -> Duration.between(before.issuedAt(), e)).orElse(Duration.ZERO);
                Duration lead = granted.dividedBy(2).compareTo(Duration.ofMinutes(15)) < 0 ? granted.dividedBy(2) : Duration.ofMinutes(15);
                boolean onSchedule = before.expiresAt().isPresent() && lead.compareTo(PERIOD) > 0;
                assertThat(age).as("the age of the token a run replaced: at least half its lifetime, or the keep-alive")
                        .isGreaterThanOrEqualTo(onSchedule ? granted.dividedBy(2) : Duration.ofHours(24));
                assertThat(requests.getAsInt() - made).isEqualTo(1);
                int again = requests.getAsInt();
                scheduledRun();
                assertThat(requests.getAsInt()).as("a second run at once refreshes nothing").isEqualTo(again);
            }
            world.clock.advance(PERIOD);
        }
    }

    /** However it is asked (rejected-credential resolves, rotations, the schedule), one connection is not refreshed twice within 10 s. */
    private void assertNoWayOfAskingBeatsTheRateGuard(Connection c, IntSupplier requests) throws Exception {
        world.clock.advance(Duration.ofSeconds(11));
        int before = requests.getAsInt();
        var refresh = world.services.tokenRefresher();
        for (int i = 0; i < 8; i++) {
            resolve(c, "run-rejected-" + i, true);
            refresh.refresh(c.id(), RefreshReason.ROTATION);
            refresh.refresh(c.id(), RefreshReason.SCHEDULE);
        }
        assertThat(requests.getAsInt() - before).as("refreshes of one connection within one second").isLessThanOrEqualTo(1);
    }

    private void scheduledRun() throws InterruptedException {
        refresher.run(() -> Duration.ofMinutes(5), Duration.ofSeconds(20));
    }

    private List<Object> concurrently(int n, Connection c, boolean rejected) throws Exception {
        List<Callable<Map<String, Object>>> resolves = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String run = "run-concurrent-" + i;
            resolves.add(() -> resolve(c, run, rejected));
        }
        List<Object> tokens = new ArrayList<>();
        try (var pool = Executors.newFixedThreadPool(n)) {
            for (Future<Map<String, Object>> f : pool.invokeAll(resolves)) {
                Map<String, Object> answer = f.get();
                assertThat(answer.get("status")).as(answer.toString()).isEqualTo("ok");
                @SuppressWarnings("unchecked")
                Map<String, Object> credential = (Map<String, Object>) answer.get("credential");
                tokens.add(credential.get("accessToken"));
            }
        }
        return tokens;
    }

    private Map<String, Object> resolve(Connection c, String runId, boolean rejected) {
        Map<String, Object> input = new HashMap<>(Map.of("connectionId", c.id(), "accountId", world.account,
                "workspaceId", world.workspace, "runId", runId, "stepId", "step-1"));
        if (rejected) {
            input.put("credentialRejected", true);
        }
        return resolver.handleRequest(input, LocalLambdaContext.of("ResolverFunction", 20_000));
    }

    private int secretVersions(Connection c) {
        String secret = world.reload(c).secretRef().orElseThrow().id();
        return local.clients().secrets().listSecretVersionIds(b -> b.secretId(secret).includeDeprecated(true)).versions().size();
    }

    /** Tokens from the real server's authorization-code grant, as a connect would get them. */
    private static JsonNode codeGrant(String issuerId) throws Exception {
        String issuer = realServer.issuerUrl(issuerId).toString().replaceAll("/$", "");
        String redirect = "http://127.0.0.1:9/oauth/callback";
        HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
        HttpResponse<String> authorize = http.send(HttpRequest.newBuilder(URI.create(issuer + "/authorize?response_type=code"
                + "&client_id=matrix-client&scope=openid&state=s&redirect_uri=" + URLEncoder.encode(redirect, StandardCharsets.UTF_8)))
                .build(), HttpResponse.BodyHandlers.ofString());
        String location = authorize.headers().firstValue("location").orElseThrow();
        String code = location.replaceAll(".*[?&]code=([^&]+).*", "$1");
        HttpResponse<String> token = http.send(HttpRequest.newBuilder(URI.create(issuer + "/token"))
                .header("content-type", "application/x-www-form-urlencoded")
                .header("authorization", "Basic " + java.util.Base64.getEncoder().encodeToString("matrix-client:matrix-secret".getBytes()))
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=authorization_code&code=" + code
                        + "&redirect_uri=" + URLEncoder.encode(redirect, StandardCharsets.UTF_8)))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(token.statusCode()).as(token.body()).isEqualTo(200);
        return Json.MAPPER.readTree(token.body());
    }
}
