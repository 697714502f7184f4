package app.connections.vault.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import app.connections.TestStack;
import app.connections.local.aws.LocalAws;
import app.connections.local.aws.LocalAwsExtension;
import app.connections.platform.Json;
import app.connections.testing.AwsCallCounter;
import app.connections.vault.Credential;
import app.connections.vault.SecretOwner;
import app.connections.vault.VaultException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.DataKeySpec;

/**
 * The sealing both vault modes share, against KMS in moto: an account's data key serves up to 64
 * credentials or 5 minutes in one instance (about one KMS request per refresh instead of two), and
 * still nothing opens outside its own connection; credentials sealed in the earlier format open.
 */
@ExtendWith(LocalAwsExtension.class)
class KmsEnvelopeTest {
    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
    private KmsClient kms;
    private String keyId;
    private KmsEnvelope envelope;

    @BeforeEach
    void setUp(LocalAws local) {
        // counted at the SDK: every request this client sends
        kms = new app.connections.platform.aws.AwsClients((service, o) -> o.addExecutionInterceptor(new AwsCallCounter())).kms();
        keyId = TestStack.config(local).kmsKeyId();
        envelope = new KmsEnvelope(kms, keyId, nanos::get);
    }

    private static SecretOwner owner(String account, String workspace) {
        return new SecretOwner(account, Optional.of(workspace), UUID.randomUUID().toString(), "hubspot");
    }

    private static Credential tokens(int n) {
        return new Credential(Map.of("accessToken", "at-" + n, "refreshToken", "rt-" + n));
    }

    @Test
    void sixtyFourCredentialsOfOneAccountCostOneDataKeyAndTheSixtyFifthANewOne() {
        String account = "acct-" + UUID.randomUUID().toString().substring(0, 8);
        long before = AwsCallCounter.count("Kms", "GenerateDataKey");
        for (int i = 0; i < DataKeys.MAX_USES; i++) {
            envelope.seal(owner(account, "ws-1"), tokens(i));
        }
        assertThat(AwsCallCounter.count("Kms", "GenerateDataKey") - before).isEqualTo(1);

        envelope.seal(owner(account, "ws-1"), tokens(64));
        assertThat(AwsCallCounter.count("Kms", "GenerateDataKey") - before).isEqualTo(2);
    }

    @Test
    void anotherAccountNeverSharesADataKey() {
        String a = "acct-a-" + UUID.randomUUID().toString().substring(0, 8);
        String b = "acct-b-" + UUID.randomUUID().toString().substring(0, 8);
        String sealedA = envelope.seal(owner(a, "ws-1"), tokens(1));
        String sealedB = envelope.seal(owner(b, "ws-1"), tokens(2));

        assertThat(wrappedKey(sealedA)).isNotEqualTo(wrappedKey(sealedB));
    }

    @Test
    void aDataKeyIsNotReusedAfterFiveMinutes() {
        String account = "acct-" + UUID.randomUUID().toString().substring(0, 8);
        String first = envelope.seal(owner(account, "ws-1"), tokens(1));
        nanos.addAndGet(DataKeys.MAX_AGE_NANOS - 1);
        String within = envelope.seal(owner(account, "ws-1"), tokens(2));
        nanos.addAndGet(1);
        String after = envelope.seal(owner(account, "ws-1"), tokens(3));

        assertThat(wrappedKey(within)).isEqualTo(wrappedKey(first));
        assertThat(wrappedKey(after)).isNotEqualTo(wrappedKey(first));
    }

    @Test
    void aRefresherInstanceOpensSixtyFourCredentialsOfOneAccountWithOneDecrypt() {
        String account = "acct-" + UUID.randomUUID().toString().substring(0, 8);
        List<SecretOwner> owners = new ArrayList<>();
        List<String> sealed = new ArrayList<>();
        for (int i = 0; i < DataKeys.MAX_USES; i++) {
            owners.add(owner(account, "ws-" + (i % 3)));
            sealed.add(envelope.seal(owners.get(i), tokens(i)));
        }
        KmsEnvelope coldInstance = new KmsEnvelope(kms, keyId, nanos::get);
        long before = AwsCallCounter.count("Kms", "Decrypt");
        for (int i = 0; i < sealed.size(); i++) {
            assertThat(coldInstance.open(owners.get(i), sealed.get(i)).get("accessToken")).isEqualTo("at-" + i);
        }
        assertThat(AwsCallCounter.count("Kms", "Decrypt") - before).isEqualTo(1);
    }

    @Test
    void aCredentialMovedToAnotherConnectionOfTheSameAccountDoesNotOpenWarmOrCold() {
        String account = "acct-" + UUID.randomUUID().toString().substring(0, 8);
        SecretOwner hubspot = owner(account, "ws-1");
        SecretOwner other = new SecretOwner(account, Optional.of("ws-1"), UUID.randomUUID().toString(), "hubspot");
        SecretOwner otherWorkspace = new SecretOwner(account, Optional.of("ws-2"), hubspot.connectionId(), "hubspot");
        String sealed = envelope.seal(hubspot, tokens(1));

        for (KmsEnvelope instance : List.of(envelope, new KmsEnvelope(kms, keyId, nanos::get))) {
            assertThatThrownBy(() -> instance.open(other, sealed)).isInstanceOf(VaultException.class)
                    .hasMessageContaining("does not open for this connection");
            assertThatThrownBy(() -> instance.open(otherWorkspace, sealed)).isInstanceOf(VaultException.class)
                    .hasMessageContaining("does not open for this connection");
            assertThat(instance.open(hubspot, sealed).get("refreshToken")).isEqualTo("rt-1");
        }
    }

    @Test
    void aCredentialMovedToAnotherAccountDoesNotOpenEvenWhereItsDataKeyIsHeld() {
        SecretOwner owner = owner("acct-" + UUID.randomUUID().toString().substring(0, 8), "ws-1");
        SecretOwner elsewhere = new SecretOwner("acct-other-" + UUID.randomUUID().toString().substring(0, 8),
                Optional.of("ws-1"), owner.connectionId(), "hubspot");
        String sealed = envelope.seal(owner, tokens(1));

        // warm: the data key is held here, the derivation and the associated data still refuse
        assertThatThrownBy(() -> envelope.open(elsewhere, sealed)).isInstanceOf(VaultException.class);
        // cold: KMS refuses the other account's encryption context
        assertThatThrownBy(() -> new KmsEnvelope(kms, keyId, nanos::get).open(elsewhere, sealed)).isInstanceOf(VaultException.class);
    }

    @Test
    void aCredentialSealedInTheFirstFormatStillOpens() throws Exception {
        SecretOwner owner = owner("acct-" + UUID.randomUUID().toString().substring(0, 8), "ws-1");
        Map<String, String> context = KmsEnvelope.context(owner);
        var dataKey = kms.generateDataKey(b -> b.keyId(keyId).keySpec(DataKeySpec.AES_256).encryptionContext(context));
        byte[] iv = new byte[12];
        new SecureRandom().nextBytes(iv);
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(dataKey.plaintext().asByteArray(), "AES"), new GCMParameterSpec(128, iv));
        cipher.updateAAD(new TreeMap<>(context).toString().getBytes(StandardCharsets.UTF_8));
        byte[] data = cipher.doFinal(Json.MAPPER.writeValueAsBytes(Map.of("apiKey", "sealed-in-format-1")));
        Base64.Encoder b64 = Base64.getEncoder();
        String v1 = Json.MAPPER.writeValueAsString(new KmsEnvelope.Envelope(1, "AES-256-GCM",
                b64.encodeToString(dataKey.ciphertextBlob().asByteArray()), b64.encodeToString(iv), b64.encodeToString(data)));

        assertThat(envelope.open(owner, v1).get("apiKey")).isEqualTo("sealed-in-format-1");
        assertThat(Json.MAPPER.readTree(envelope.seal(owner, new Credential(Map.of("apiKey", "again")))).path("v").asInt())
                .isEqualTo(2);
    }

    private static String wrappedKey(String sealed) {
        try {
            return Json.MAPPER.readTree(sealed).path("key").asText();
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }
}
