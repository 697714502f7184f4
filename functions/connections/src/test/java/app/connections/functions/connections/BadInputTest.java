package app.connections.functions.connections;

import static org.assertj.core.api.Assertions.assertThat;

import app.connections.local.aws.LocalAws;
import app.connections.local.aws.LocalAwsExtension;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every kind of bad input to API-key connect: a clear 4xx naming the field, and nothing stored or sent. */
@ExtendWith(LocalAwsExtension.class)
class BadInputTest {
    static ConnectionsFixture f;

    @BeforeAll
    static void setUp(LocalAws local) throws Exception {
        f = new ConnectionsFixture(local);
        f.provider.accept("fd-good-key", "{\"id\": 7}");
    }

    static String body(String label, String key, String subdomain) {
        return "{\"app\": \"freshdesk\", \"label\": " + label + ", \"credentials\": {\"apiKey\": " + key
                + "}, \"fields\": {\"subdomain\": " + subdomain + "}}";
    }

    static Arguments withBody(String name, String body, int status, String field) {
        return Arguments.of(name, (Consumer<APIGatewayV2HTTPEvent>) e -> e.setBody(body), status, field);
    }

    static Arguments subdomain(String value) {
        return withBody("subdomain " + value, body("\"Desk\"", "\"fd-good-key\"", quote(value)), 400, "fields.subdomain");
    }

    static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    static Stream<Arguments> cases() {
        return Stream.of(
                withBody("malformed JSON", "{\"app\": \"freshdesk\",", 400, "body"),
                withBody("not an object", "[1, 2]", 400, "body"),
                withBody("body over 64 KB", body(quote("x".repeat(70_000)), "\"fd-good-key\"", "\"acme\""), 413, "body"),
                withBody("unknown app", "{\"app\": \"nosuchapp\", \"label\": \"x\", \"credentials\": {\"apiKey\": \"k\"}}", 400, "app"),
                withBody("app missing", "{\"label\": \"x\", \"credentials\": {\"apiKey\": \"k\"}}", 400, "app"),
                withBody("kind the app does not support", "{\"app\": \"freshdesk\", \"label\": \"x\", \"credentialKind\": \"OAUTH2\", "
                        + "\"credentials\": {\"apiKey\": \"fd-good-key\"}, \"fields\": {\"subdomain\": \"acme\"}}", 400, "credentialKind"),
                withBody("unknown kind", "{\"app\": \"freshdesk\", \"label\": \"x\", \"credentialKind\": \"TELEPATHY\", "
                        + "\"credentials\": {\"apiKey\": \"fd-good-key\"}, \"fields\": {\"subdomain\": \"acme\"}}", 400, "credentialKind"),
                withBody("label missing", "{\"app\": \"freshdesk\", \"credentials\": {\"apiKey\": \"fd-good-key\"}, \"fields\": {\"subdomain\": \"acme\"}}", 400, "label"),
                withBody("label empty", body("\"\"", "\"fd-good-key\"", "\"acme\""), 400, "label"),
                withBody("label blank", body("\"   \"", "\"fd-good-key\"", "\"acme\""), 400, "label"),
                withBody("label over 100 characters", body(quote("L".repeat(101)), "\"fd-good-key\"", "\"acme\""), 400, "label"),
                withBody("label with control characters", body("\"Desk\\u0000\\u001b[31m\"", "\"fd-good-key\"", "\"acme\""), 400, "label"),
                withBody("label not a string", body("42", "\"fd-good-key\"", "\"acme\""), 400, "label"),
                withBody("key empty", body("\"Desk\"", "\"\"", "\"acme\""), 400, "credentials.apiKey"),
                withBody("key missing", "{\"app\": \"freshdesk\", \"label\": \"x\", \"credentials\": {}, \"fields\": {\"subdomain\": \"acme\"}}", 400, "credentials.apiKey"),
                withBody("key over 4 KB", body("\"Desk\"", quote("k".repeat(4097)), "\"acme\""), 400, "credentials.apiKey"),
                withBody("key with a line break", body("\"Desk\"", "\"fd-good\\nkey\"", "\"acme\""), 400, "credentials.apiKey"),
                withBody("unknown credential", "{\"app\": \"freshdesk\", \"label\": \"x\", \"credentials\": {\"apiKey\": \"fd-good-key\", \"password\": \"p\"}, \"fields\": {\"subdomain\": \"acme\"}}", 400, "credentials.password"),
                withBody("credentials not an object", "{\"app\": \"freshdesk\", \"label\": \"x\", \"credentials\": \"fd-good-key\", \"fields\": {\"subdomain\": \"acme\"}}", 400, "credentials"),
                withBody("required field missing", "{\"app\": \"freshdesk\", \"label\": \"x\", \"credentials\": {\"apiKey\": \"fd-good-key\"}}", 400, "fields.subdomain"),
                withBody("unknown field", "{\"app\": \"freshdesk\", \"label\": \"x\", \"credentials\": {\"apiKey\": \"fd-good-key\"}, \"fields\": {\"subdomain\": \"acme\", \"region\": \"eu\"}}", 400, "fields.region"),
                withBody("unknown member", "{\"app\": \"freshdesk\", \"label\": \"x\", \"scope\": \"ACCOUNT\", \"credentials\": {\"apiKey\": \"fd-good-key\"}, \"fields\": {\"subdomain\": \"acme\"}}", 400, "scope"),
                subdomain("evil.com#"),
                subdomain("a.b"),
                subdomain("x.freshdesk.com.evil.test"),
                subdomain("%2e%2e"),
                subdomain("АСМЕ"),
                subdomain("аcme"),
                subdomain("-acme"),
                subdomain("acme/../admin"),
                subdomain("acme@evil.test"),
                subdomain(""),
                Arguments.of("workspace not in the account", (Consumer<APIGatewayV2HTTPEvent>) e ->
                        e.getPathParameters().put("workspaceId", "ws-unknown"), 404, null),
                Arguments.of("malformed workspace id", (Consumer<APIGatewayV2HTTPEvent>) e ->
                        e.getPathParameters().put("workspaceId", "ws/../x"), 400, "workspaceId"),
                Arguments.of("another account's workspace", (Consumer<APIGatewayV2HTTPEvent>) e ->
                        e.getRequestContext().getAuthorizer().getJwt().getClaims().put("custom:account_id", "acct-other"), 404, null),
                Arguments.of("an editor, not an admin", (Consumer<APIGatewayV2HTTPEvent>) e ->
                        e.getRequestContext().getAuthorizer().getJwt().getClaims().put("custom:workspace_roles", "ws-acme:editor"), 403, null),
                Arguments.of("an admin of another workspace", (Consumer<APIGatewayV2HTTPEvent>) e ->
                        e.getRequestContext().getAuthorizer().getJwt().getClaims().put("custom:workspace_roles", "ws-globex:admin"), 404, null),
                Arguments.of("a portal token's claims", (Consumer<APIGatewayV2HTTPEvent>) e -> {
                    Map<String, String> claims = new HashMap<>(Map.of("sub", "client-1", "custom:account_id", f.account,
                            "custom:workspace_id", "ws-acme"));
                    e.getRequestContext().getAuthorizer().getJwt().setClaims(claims);
                }, 401, null));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void badInputIsAClear4xxAndNothingIsStored(String name, Consumer<APIGatewayV2HTTPEvent> change, int status, String field)
            throws Exception {
        APIGatewayV2HTTPEvent event = f.create("ws-acme", body("\"Desk\"", "\"fd-good-key\"", "\"acme\""));
        change.accept(event);
        int callsBefore = f.provider.calls();

        APIGatewayV2HTTPResponse response = f.call(event);

        assertThat(response.getStatusCode()).as(response.getBody()).isEqualTo(status);
        JsonNode error = ConnectionsFixture.json(response);
        assertThat(error.path("error").asText()).isNotBlank();
        assertThat(error.path("message").asText()).isNotBlank();
        if (field != null) {
            assertThat(error.path("field").asText()).isEqualTo(field);
        }
        assertThat(response.getBody()).doesNotContain("fd-good-key");
        assertThat(f.secretsOfAccount()).isZero();
        assertThat(f.provider.calls()).as("the key is not sent to the app").isEqualTo(callsBefore);
    }
}
