package app.connections.functions.oauth;

import static org.assertj.core.api.Assertions.assertThat;

import app.connections.local.aws.LocalAws;
import app.connections.local.aws.LocalAwsExtension;
import app.connections.oauth.Pkce;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The OAuth consent belongs to the person who started it: a provider that skips its consent screen
 * sends back whoever opened the link, so nothing is exchanged or stored until the session's creator,
 * signed in on their own page, completes it with the one-time code the popup handed that page.
 */
@ExtendWith(LocalAwsExtension.class)
class ConsentBindingTest {
    private static final String DEMO = "{\"app\": \"demo\"}";
    private OAuthFixture f;

    @BeforeEach
    void setUp(LocalAws local) throws Exception {
        f = new OAuthFixture(local);
        f.providerRequests();
    }

    @AfterEach
    void tearDown() {
        f.close();
    }

    /** The victim's browser opens the attacker's link; the provider (no consent screen) redirects back at once. */
    private JsonNode victimFollowsTheAttackersLink(String session, String victim) throws Exception {
        return OAuthFixture.message(f.callback(f.consent(f.start(session).getHeaders().get("location"), victim)));
    }

    @Test
    void aCallbackCompletedByNobodyMakesNoTokenRequestAndStoresNothing() throws Exception {
        String session = f.createSession(DEMO).path("sessionId").asText();

        JsonNode posted = victimFollowsTheAttackersLink(session, "victim-of-another-agency");

        assertThat(posted.path("status").asText()).isEqualTo("authorized");
        assertThat(f.providerRequests()).as("the provider saw the authorization, never a token request")
                .noneMatch(r -> r.endsWith("/token"));
        assertThat(f.secretsOfAccount()).isEmpty();
        assertThat(f.connectionItems()).allSatisfy(item -> assertThat(item.get("status").s()).isEqualTo("PENDING"));
    }

    @Test
    void theAttackersOwnCompletionWithoutTheCodeOrWithAnotherSessionsCodeIsRefused() throws Exception {
        String attackers = f.createSession(DEMO).path("sessionId").asText();
        victimFollowsTheAttackersLink(attackers, "victim");
        String other = f.createSession(DEMO).path("sessionId").asText();
        JsonNode othersPopup = victimFollowsTheAttackersLink(other, "someone-else");

        APIGatewayV2HTTPResponse guessed = f.complete(attackers, Pkce.randomToken(), "acme-admin", "ws-acme");
        APIGatewayV2HTTPResponse borrowed = f.complete(attackers, othersPopup.path("completionCode").asText(), "acme-admin", "ws-acme");

        assertThat(guessed.getStatusCode()).isEqualTo(422);
        assertThat(OAuthFixture.message(guessed).path("error").asText()).isEqualTo("invalid_completion_code");
        assertThat(OAuthFixture.message(borrowed).path("error").asText()).as("a wrong code ended the session").isEqualTo("session_used");
        assertThat(f.providerRequests()).noneMatch(r -> r.endsWith("/token"));
        assertThat(f.secretsOfAccount()).isEmpty();
        assertThat(f.connectionItems()).noneMatch(item -> item.get("status").s().equals("ACTIVE"));
    }

    @Test
    void theRightCodeWithAnotherPersonsTokenIsNotEvenSeen() throws Exception {
        String session = f.createSession(DEMO).path("sessionId").asText();
        JsonNode posted = victimFollowsTheAttackersLink(session, "alice");
        String code = posted.path("completionCode").asText();

        APIGatewayV2HTTPResponse otherAdmin = f.complete(session, code, "another-admin-of-acme", "ws-acme");
        APIGatewayV2HTTPResponse otherWorkspace = f.complete(session, code, "acme-admin", "ws-globex");

        assertThat(otherAdmin.getStatusCode()).isEqualTo(404);
        assertThat(otherWorkspace.getStatusCode()).isEqualTo(404);
        assertThat(f.providerRequests()).noneMatch(r -> r.endsWith("/token"));

        APIGatewayV2HTTPResponse creator = f.complete(session, code, "acme-admin", "ws-acme");
        assertThat(creator.getStatusCode()).as("the creator still completes").isEqualTo(200);
        assertThat(OAuthFixture.message(creator).path("status").asText()).isEqualTo("success");
        assertThat(f.complete(session, code, "acme-admin", "ws-acme").getStatusCode()).as("once").isEqualTo(422);
    }

    @Test
    void aProviderKnownToSendItsIssuerIsRefusedWithoutItAndAcceptedWithIt() throws Exception {
        String without = f.createSession("{\"app\": \"strict\"}").path("sessionId").asText();
        Map<String, String> redirect = f.consent(f.start(without).getHeaders().get("location"), "ivy");
        assertThat(OAuthFixture.message(f.callback(redirect)).path("error").asText()).isEqualTo("issuer_missing");

        String with = f.createSession("{\"app\": \"strict\"}").path("sessionId").asText();
        Map<String, String> named = new HashMap<>(f.consent(f.start(with).getHeaders().get("location"), "ivy"));
        named.put("iss", f.issuer);
        assertThat(OAuthFixture.message(f.callback(named)).path("status").asText()).isEqualTo("authorized");

        String plain = f.createSession(DEMO).path("sessionId").asText();
        Map<String, String> noIss = f.consent(f.start(plain).getHeaders().get("location"), "ivy");
        assertThat(noIss).doesNotContainKey("iss");
        assertThat(OAuthFixture.message(f.callback(noIss)).path("status").asText())
                .as("a provider not marked as sending iss may omit it").isEqualTo("authorized");
    }

    @Test
    void theConsentScreenIsForcedWhereTheCatalogSaysHow() throws Exception {
        String session = f.createSession("{\"app\": \"consenting\"}").path("sessionId").asText();

        Map<String, String> q = OAuthFixture.query(URI.create(f.start(session).getHeaders().get("location")));

        assertThat(q).containsEntry("prompt", "consent");
    }

    @Test
    void theOpenersNonceComesBackInThePopupsMessage() throws Exception {
        String nonce = Pkce.randomToken();
        String session = f.createSession("{\"app\": \"demo\", \"nonce\": \"" + nonce + "\"}").path("sessionId").asText();

        JsonNode posted = victimFollowsTheAttackersLink(session, "kim");

        assertThat(posted.path("nonce").asText()).isEqualTo(nonce);
    }
}
