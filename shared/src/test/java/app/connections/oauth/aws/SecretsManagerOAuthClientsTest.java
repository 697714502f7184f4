package app.connections.oauth.aws;

import static org.assertj.core.api.Assertions.assertThat;

import app.connections.local.aws.LocalAws;
import app.connections.local.aws.LocalAwsExtension;
import app.connections.oauth.OAuthClient;
import app.connections.testing.OAuthWorld.MutableClock;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

@ExtendWith(LocalAwsExtension.class)
class SecretsManagerOAuthClientsTest {

    @Test
    void aRotatedClientSecretReachesARunningFunctionWithinFiveMinutes(LocalAws local) {
        SecretsManagerClient secrets = local.clients().secrets();
        String prefix = "oauth-ttl-" + UUID.randomUUID().toString().substring(0, 8);
        String name = SecretsManagerOAuthClients.secretName(prefix, "hubspot");
        secrets.createSecret(b -> b.name(name).secretString("{\"clientId\":\"hs-client\",\"clientSecret\":\"old-secret\"}"));
        MutableClock clock = new MutableClock();
        SecretsManagerOAuthClients clients = new SecretsManagerOAuthClients(secrets, prefix, clock);
        assertThat(clients.find("hubspot")).map(OAuthClient::clientSecret).contains("old-secret");

        secrets.putSecretValue(b -> b.secretId(name).secretString("{\"clientId\":\"hs-client\",\"clientSecret\":\"new-secret\"}"));

        assertThat(clients.find("hubspot")).as("within the cache time").map(OAuthClient::clientSecret).contains("old-secret");
        clock.advance(Duration.ofMinutes(5).plusSeconds(1));
        assertThat(clients.find("hubspot")).as("after it").map(OAuthClient::clientSecret).contains("new-secret");
    }

    @Test
    void anAppWhoseRegistrationIsStoredLaterIsFoundWithoutARestart(LocalAws local) {
        SecretsManagerClient secrets = local.clients().secrets();
        String prefix = "oauth-late-" + UUID.randomUUID().toString().substring(0, 8);
        SecretsManagerOAuthClients clients = new SecretsManagerOAuthClients(secrets, prefix, new MutableClock());
        assertThat(clients.find("slack")).isEmpty();

        secrets.createSecret(b -> b.name(SecretsManagerOAuthClients.secretName(prefix, "slack"))
                .secretString("{\"clientId\":\"sl-client\",\"clientSecret\":\"sl-secret\"}"));

        assertThat(clients.find("slack")).map(OAuthClient::clientId).contains("sl-client");
    }
}
