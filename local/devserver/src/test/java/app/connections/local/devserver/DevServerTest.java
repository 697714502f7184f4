package app.connections.local.devserver;

import static org.assertj.core.api.Assertions.assertThat;

import app.connections.local.aws.CognitoUsers;
import app.connections.local.aws.LocalAws;
import app.connections.local.aws.LocalAwsExtension;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.lambda.LambdaClient;

@ExtendWith(LocalAwsExtension.class)
class DevServerTest {
    static final String PASSWORD = "Test-only-Passw0rd!";
    static DevServer server;
    static LocalAws local;
    static String account;
    static String adminToken;
    static String portalToken;
    static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void start(LocalAws stack) throws Exception {
        local = stack;
        server = DevServer.start(local, 0);
        account = "acct-" + UUID.randomUUID().toString().substring(0, 8);
        CognitoUsers users = new CognitoUsers(local.stack());
        String admin = "admin-" + account + "@test.example";
        users.ensure("BuilderUserPool", admin, Map.of("custom:account_id", account, "custom:account_role", "admin",
                "custom:workspace_roles", ""), PASSWORD);
        adminToken = users.idToken("BuilderUserPool", admin, PASSWORD);
        String client = "client-" + account + "@test.example";
        users.ensure("PortalUserPool", client, Map.of("custom:account_id", account, "custom:workspace_id", "ws-1"), PASSWORD);
        portalToken = users.idToken("PortalUserPool", client, PASSWORD);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    HttpResponse<String> get(String path, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server.baseUrl() + path)).GET();
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aSeededStyleUserWithAFreshTokenIsServed() throws Exception {
        HttpResponse<String> put = HTTP.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + "/accounts/" + account + "/workspaces/ws-1"))
                .header("Authorization", "Bearer " + adminToken).header("content-type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"name\":\"Client One\"}")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(put.statusCode()).isEqualTo(200);

        HttpResponse<String> list = get("/accounts/" + account + "/workspaces", adminToken);

        assertThat(list.statusCode()).isEqualTo(200);
        assertThat(list.body()).contains("\"name\":\"Client One\"");
    }

    @Test
    void aRequestWithoutATokenIs401() throws Exception {
        HttpResponse<String> response = get("/accounts/" + account + "/workspaces", null);

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.body()).isEqualTo("{\"message\":\"Unauthorized\"}");
    }

    @Test
    void aTokenFromThePortalPoolIs401OnABuilderRoute() throws Exception {
        assertThat(get("/accounts/" + account + "/workspaces", portalToken).statusCode()).isEqualTo(401);
    }

    @Test
    void aBuilderTokenIs401OnAPortalRouteAndAPortalTokenIsServedThere() throws Exception {
        assertThat(get("/portal/connections", adminToken).statusCode()).isEqualTo(401);
        assertThat(get("/portal/connections", portalToken).statusCode()).isEqualTo(200);
    }

    @Test
    void anExpiredTokenSignedWithThePoolsOwnKeyIs401() throws Exception {
        RSAKey poolKey = motoSigningKey();
        String expired = sign(poolKey, builderClaims().expirationTime(Date.from(Instant.now().minusSeconds(60))).build());
        String fresh = sign(poolKey, builderClaims().expirationTime(Date.from(Instant.now().plusSeconds(600))).build());

        assertThat(get("/accounts/" + account + "/workspaces", expired).statusCode()).isEqualTo(401);
        // the same claims, unexpired, pass: the refusal above is the expiry, not the key
        assertThat(get("/accounts/" + account + "/workspaces", fresh).statusCode()).isEqualTo(200);
    }

    @Test
    void aForgedTokenIs401() throws Exception {
        RSAKey forger = new RSAKeyGenerator(2048).keyID("dummy").generate();
        String forged = sign(forger, builderClaims().expirationTime(Date.from(Instant.now().plusSeconds(600))).build());

        assertThat(get("/accounts/" + account + "/workspaces", forged).statusCode()).isEqualTo(401);
        assertThat(get("/accounts/" + account + "/workspaces", "not-a-jwt").statusCode()).isEqualTo(401);
    }

    @Test
    void thePagesAreServedUnderTheirCspAndThePortalPathIsAPageForABrowserAndTheApiForACall() throws Exception {
        for (String page : List.of("/", "/llm-keys", "/portal/connections")) {
            HttpResponse<String> html = HTTP.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + page))
                    .header("Accept", "text/html,application/xhtml+xml").GET().build(), HttpResponse.BodyHandlers.ofString());
            assertThat(html.statusCode()).as(page).isEqualTo(200);
            assertThat(html.headers().firstValue("content-type")).contains("text/html; charset=utf-8");
            assertThat(html.headers().firstValue("content-security-policy")).contains(DevServer.PAGE_CSP);
            assertThat(DevServer.PAGE_CSP).doesNotContain("unsafe").contains("script-src 'self'", "style-src 'self'");
            assertThat(html.body()).as("no inline script, style or handler").doesNotContainPattern("<script>|<style|\\son[a-z]+=|style=");
        }
        assertThat(get("/connections/connect.js", null).headers().firstValue("content-type")).contains("text/javascript; charset=utf-8");
        assertThat(get("/connections/styles.css", null).headers().firstValue("content-type")).contains("text/css; charset=utf-8");
        assertThat(get("/connections/../seed.json", null).statusCode()).isEqualTo(404);
        // the same path called as the API: a token is needed, and a portal token gets JSON
        assertThat(get("/portal/connections", null).statusCode()).isEqualTo(401);
        assertThat(get("/portal/connections", portalToken).body()).startsWith("{\"connections\"");
    }

    @Test
    void anUnknownRouteIs404() throws Exception {
        assertThat(get("/no/such/route", adminToken).statusCode()).isEqualTo(404);
    }

    @Test
    void everyFunctionCanBeInvokedWithTheAwsSdkAsWithSamLocalStartLambda() throws Exception {
        String event = Files.readString(local.root().resolve("events/workspaces/list-workspaces.json"))
                .replace("acct-demo", account);
        try (LambdaClient lambda = LambdaClient.builder().endpointOverride(URI.create(server.baseUrl())).build()) {
            var response = lambda.invoke(b -> b.functionName("WorkspacesFunction").payload(SdkBytes.fromUtf8String(event)));

            assertThat(response.functionError()).isNull();
            assertThat(response.payload().asUtf8String()).contains("\"statusCode\":200");
        }
    }

    private JWTClaimsSet.Builder builderClaims() {
        var pool = local.stack().userPools().get("BuilderUserPool");
        return new JWTClaimsSet.Builder().issuer(pool.issuer()).audience(pool.clientId()).subject("forged-or-expired")
                .issueTime(Date.from(Instant.now().minusSeconds(3600))).claim("token_use", "id")
                .claim("custom:account_id", account).claim("custom:account_role", "admin");
    }

    private static String sign(RSAKey key, JWTClaimsSet claims) throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(), claims);
        jwt.sign(new RSASSASigner(key));
        return jwt.serialize();
    }

    /** moto signs every pool's tokens with one key it ships; the test uses it to mint an expired token. */
    private static RSAKey motoSigningKey() throws Exception {
        Path lib = local.root().resolve(".venv/lib");
        Path file;
        try (var found = Files.find(lib, 6, (p, a) -> p.endsWith("cognitoidp/resources/jwks-private.json.gz"))) {
            file = found.findFirst().orElseThrow();
        }
        try (InputStream in = new GZIPInputStream(Files.newInputStream(file))) {
            RSAKey key = RSAKey.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            return new RSAKey.Builder(key).keyID("dummy").build();
        }
    }
}
