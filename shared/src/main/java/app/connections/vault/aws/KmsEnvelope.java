package app.connections.vault.aws;

import app.connections.platform.Json;
import app.connections.vault.Credential;
import app.connections.vault.SecretOwner;
import app.connections.vault.VaultException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;
import java.util.TreeMap;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.exception.SdkServiceException;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.DataKeySpec;
import software.amazon.awssdk.services.kms.model.DisabledException;
import software.amazon.awssdk.services.kms.model.GenerateDataKeyResponse;
import software.amazon.awssdk.services.kms.model.KeyUnavailableException;
import software.amazon.awssdk.services.kms.model.KmsInvalidStateException;

/**
 * The sealing every vault mode shares: a fresh AES-256 data key from KMS {@code GenerateDataKey}
 * under an encryption context naming the account, workspace and connection seals the credential with
 * AES-GCM (the same context is the GCM associated data). Opening needs KMS and the same context, so
 * a sealed value moved to another connection does not open. One KMS request to seal, one to open.
 */
final class KmsEnvelope {
    private static final int GCM_TAG_BITS = 128;
    private static final int IV_BYTES = 12;
    static final String NO_WORKSPACE = "-";

    private final KmsClient kms;
    private final String kmsKeyId;

    KmsEnvelope(KmsClient kms, String kmsKeyId) {
        this.kms = kms;
        this.kmsKeyId = kmsKeyId;
    }

    String keyId() {
        return kmsKeyId;
    }

    String seal(SecretOwner owner, Credential credential) {
        Map<String, String> context = context(owner);
        GenerateDataKeyResponse dataKey;
        try {
            dataKey = kms.generateDataKey(b -> b.keyId(kmsKeyId).keySpec(DataKeySpec.AES_256).encryptionContext(context));
        } catch (SdkException e) {
            throw failure("could not obtain a data key from KMS", e);
        }
        byte[] key = dataKey.plaintext().asByteArray();
        byte[] iv = new byte[IV_BYTES];
        // a new generator per IV: none is created at init and carried in a SnapStart snapshot
        new SecureRandom().nextBytes(iv);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(GCM_TAG_BITS, iv));
            cipher.updateAAD(aad(context));
            byte[] data = cipher.doFinal(Json.MAPPER.writeValueAsBytes(credential.values()));
            Base64.Encoder b64 = Base64.getEncoder();
            return Json.MAPPER.writeValueAsString(new Envelope(1, "AES-256-GCM",
                    b64.encodeToString(dataKey.ciphertextBlob().asByteArray()), b64.encodeToString(iv), b64.encodeToString(data)));
        } catch (GeneralSecurityException | JsonProcessingException e) {
            throw new VaultException("could not seal the connection secret", e);
        } finally {
            Arrays.fill(key, (byte) 0);
        }
    }

    Credential open(SecretOwner owner, String sealed) {
        Map<String, String> context = context(owner);
        Envelope envelope;
        try {
            envelope = Json.MAPPER.readValue(sealed, Envelope.class);
        } catch (JsonProcessingException e) {
            throw new VaultException("the connection secret is not in the expected format", null);
        }
        if (envelope.v() != 1) {
            throw new VaultException("unknown connection secret format " + envelope.v(), null);
        }
        Base64.Decoder b64 = Base64.getDecoder();
        byte[] key;
        try {
            // no KeyId: the data key names the key that sealed it, so credentials sealed before an emergency key
            // change still open after the alias names the new key (IAM allows only our keys either way)
            key = kms.decrypt(b -> b.ciphertextBlob(SdkBytes.fromByteArray(b64.decode(envelope.key())))
                    .encryptionContext(context)).plaintext().asByteArray();
        } catch (KmsInvalidStateException | DisabledException | KeyUnavailableException e) {
            throw new VaultException("the KMS key is not usable (disabled, pending deletion or unavailable)", e);
        } catch (SdkException e) {
            throw temporarilyUnavailable(e)
                    ? failure("KMS could not decrypt the connection secret", e)
                    : new VaultException("the connection secret does not open for this connection", e);
        }
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(GCM_TAG_BITS, b64.decode(envelope.iv())));
            cipher.updateAAD(aad(context));
            byte[] plain = cipher.doFinal(b64.decode(envelope.data()));
            return new Credential(Json.MAPPER.readValue(plain, new TypeReference<Map<String, String>>() { }));
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw new VaultException("the connection secret does not open for this connection", null);
        } finally {
            Arrays.fill(key, (byte) 0);
        }
    }

    /** A failed call: retryable when the service was only throttled, failing or unreachable. */
    static VaultException failure(String what, SdkException e) {
        return temporarilyUnavailable(e)
                ? new VaultException(what + ": the service is temporarily unavailable (throttled or failing); retry later", e, true)
                : new VaultException(what, e);
    }

    static boolean temporarilyUnavailable(SdkException e) {
        if (e instanceof SdkServiceException service) {
            return service.isThrottlingException() || service.statusCode() >= 500;
        }
        return e instanceof SdkClientException; // no answer at all: network error, timeout
    }

    static Map<String, String> context(SecretOwner owner) {
        return Map.of(
                "accountId", owner.accountId(),
                "workspaceId", owner.workspaceId().orElse(NO_WORKSPACE),
                "connectionId", owner.connectionId());
    }

    private static byte[] aad(Map<String, String> context) {
        return new TreeMap<>(context).toString().getBytes(StandardCharsets.UTF_8);
    }

    /** What is stored: the sealed credential. Nothing in it is readable without KMS. */
    record Envelope(int v, String alg, String key, String iv, String data) {
    }
}
