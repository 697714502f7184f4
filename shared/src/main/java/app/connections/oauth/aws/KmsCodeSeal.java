package app.connections.oauth.aws;

import app.connections.oauth.CodeSeal;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kms.KmsClient;

/**
 * Authorization codes sealed with KMS under the connection-secrets key, with the encryption context
 * naming the purpose and the connect session: KMS refuses to open a code for any other session.
 */
public final class KmsCodeSeal implements CodeSeal {
    private final KmsClient kms;
    private final String keyId;

    public KmsCodeSeal(KmsClient kms, String keyId) {
        this.kms = kms;
        this.keyId = keyId;
    }

    private static Map<String, String> context(String sessionId) {
        return Map.of("purpose", "oauth-authorization-code", "connectSession", sessionId);
    }

    @Override
    public String seal(String sessionId, String code) {
        byte[] sealed = kms.encrypt(b -> b.keyId(keyId).encryptionContext(context(sessionId))
                .plaintext(SdkBytes.fromString(code, StandardCharsets.UTF_8))).ciphertextBlob().asByteArray();
        return Base64.getEncoder().encodeToString(sealed);
    }

    @Override
    public String open(String sessionId, String sealed) {
        return kms.decrypt(b -> b.keyId(keyId).encryptionContext(context(sessionId))
                .ciphertextBlob(SdkBytes.fromByteArray(Base64.getDecoder().decode(sealed))))
                .plaintext().asString(StandardCharsets.UTF_8);
    }
}
