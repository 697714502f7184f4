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
import javax.crypto.Mac;
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
 * The sealing every vault mode shares (docs/security.md, "Sealing").
 *
 * <p>Format 2 (written today): an AES-256 data key from KMS {@code GenerateDataKey} under an
 * encryption context naming the account; a key for the one credential derived from it with
 * HKDF-SHA256 (a fresh salt, and the account, workspace and connection as info); AES-GCM with the
 * same owner as associated data. A sealed value moved to another connection does not open (another
 * derived key, other associated data), nor to another account (KMS refuses the context). An
 * instance reuses an account's data key for up to 64 credentials or 5 minutes and keeps unwrapped
 * keys as long ({@link DataKeys}), so a refresh costs about one KMS request instead of two.
 *
 * <p>Format 1 (still opened): a data key per credential, the KMS context naming account, workspace
 * and connection.
 */
final class KmsEnvelope {
    private static final int GCM_TAG_BITS = 128;
    private static final int IV_BYTES = 12;
    static final String NO_WORKSPACE = "-";

    static final String ALG_V2 = "AES-256-GCM/HKDF-SHA256";

    private final KmsClient kms;
    private final String kmsKeyId;
    private final DataKeys keys;

    KmsEnvelope(KmsClient kms, String kmsKeyId) {
        this(kms, kmsKeyId, System::nanoTime);
    }

    KmsEnvelope(KmsClient kms, String kmsKeyId, java.util.function.LongSupplier nanos) {
        this.kms = kms;
        this.kmsKeyId = kmsKeyId;
        this.keys = new DataKeys(nanos);
    }

    String keyId() {
        return kmsKeyId;
    }

    /**
     * Seals in format 2: the account's data key (reused by this instance for up to 64 credentials or
     * 5 minutes, {@link DataKeys}), a key for this credential derived from it with HKDF-SHA256 over a
     * fresh salt and the owner (account, workspace, connection), AES-256-GCM with the owner as
     * associated data. KMS binds the data key to the account (encryption context); the derivation
     * and the associated data bind the sealed value to its connection.
     */
    String seal(SecretOwner owner, Credential credential) {
        Map<String, String> context = context(owner);
        DataKeys.DataKey dataKey = keys.forSealing(owner.accountId());
        if (dataKey == null) {
            GenerateDataKeyResponse generated;
            try {
                generated = kms.generateDataKey(b -> b.keyId(kmsKeyId).keySpec(DataKeySpec.AES_256)
                        .encryptionContext(accountContext(owner.accountId())));
            } catch (SdkException e) {
                throw failure("could not obtain a data key from KMS", e);
            }
            byte[] plaintext = generated.plaintext().asByteArray();
            byte[] wrapped = generated.ciphertextBlob().asByteArray();
            keys.sealWith(owner.accountId(), plaintext, wrapped);
            dataKey = new DataKeys.DataKey(plaintext, wrapped, 0);
        }
        byte[] iv = new byte[IV_BYTES];
        // a new generator per IV: none is created at init and carried in a SnapStart snapshot
        new SecureRandom().nextBytes(iv);
        byte[] key = derive(dataKey.plaintext(), iv, context);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(GCM_TAG_BITS, iv));
            cipher.updateAAD(aad(context));
            byte[] data = cipher.doFinal(Json.MAPPER.writeValueAsBytes(credential.values()));
            Base64.Encoder b64 = Base64.getEncoder();
            return Json.MAPPER.writeValueAsString(new Envelope(2, ALG_V2,
                    b64.encodeToString(dataKey.wrapped()), b64.encodeToString(iv), b64.encodeToString(data)));
        } catch (GeneralSecurityException | JsonProcessingException e) {
            throw new VaultException("could not seal the connection secret", e);
        } finally {
            Arrays.fill(key, (byte) 0);
            Arrays.fill(dataKey.plaintext(), (byte) 0);
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
        if (envelope.v() != 1 && envelope.v() != 2) {
            throw new VaultException("unknown connection secret format " + envelope.v(), null);
        }
        Base64.Decoder b64 = Base64.getDecoder();
        byte[] wrapped = b64.decode(envelope.key());
        byte[] key = envelope.v() == 2 ? keys.forOpening(wrapped) : null;
        try {
            if (key == null) {
                // no KeyId: the data key names the key that sealed it, so credentials sealed before an emergency key
                // change still open after the alias names the new key (IAM allows only our keys either way)
                Map<String, String> kmsContext = envelope.v() == 2 ? accountContext(owner.accountId()) : context;
                key = kms.decrypt(b -> b.ciphertextBlob(SdkBytes.fromByteArray(wrapped))
                        .encryptionContext(kmsContext)).plaintext().asByteArray();
                if (envelope.v() == 2) {
                    keys.opened(wrapped, key);
                }
            }
        } catch (KmsInvalidStateException | DisabledException | KeyUnavailableException e) {
            throw new VaultException("the KMS key is not usable (disabled, pending deletion or unavailable)", e);
        } catch (SdkException e) {
            throw temporarilyUnavailable(e)
                    ? failure("KMS could not decrypt the connection secret", e)
                    : new VaultException("the connection secret does not open for this connection", e);
        }
        byte[] iv = b64.decode(envelope.iv());
        if (envelope.v() == 2) {
            byte[] dataKey = key;
            key = derive(dataKey, iv, context);
            Arrays.fill(dataKey, (byte) 0);
        }
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(GCM_TAG_BITS, iv));
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

    /** Format 2's KMS encryption context: the data key belongs to one account. */
    static Map<String, String> accountContext(String accountId) {
        return Map.of("accountId", accountId, "purpose", "connection-credentials");
    }

    /** RFC 5869 HKDF-SHA256, one block: the credential's own key from the account's data key, the salt and the owner. */
    private static byte[] derive(byte[] dataKey, byte[] salt, Map<String, String> owner) {
        try {
            Mac extract = Mac.getInstance("HmacSHA256");
            extract.init(new SecretKeySpec(salt, "HmacSHA256"));
            byte[] prk = extract.doFinal(dataKey);
            Mac expand = Mac.getInstance("HmacSHA256");
            expand.init(new SecretKeySpec(prk, "HmacSHA256"));
            Arrays.fill(prk, (byte) 0);
            expand.update(("connections/credential/v2 " + new TreeMap<>(owner)).getBytes(StandardCharsets.UTF_8));
            expand.update((byte) 1);
            return expand.doFinal();
        } catch (GeneralSecurityException e) {
            throw new VaultException("could not derive the credential key", e);
        }
    }

    private static byte[] aad(Map<String, String> context) {
        return new TreeMap<>(context).toString().getBytes(StandardCharsets.UTF_8);
    }

    /** What is stored: the sealed credential. Nothing in it is readable without KMS. */
    record Envelope(int v, String alg, String key, String iv, String data) {
    }
}
