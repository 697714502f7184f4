package app.connections.connection.aws;

import app.connections.connection.Fingerprinter;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.MacAlgorithmSpec;

/** {@link Fingerprinter} as a KMS HMAC-SHA-256 ({@code GenerateMac}): the key never leaves KMS. */
public final class KmsFingerprinter implements Fingerprinter {
    private final KmsClient kms;
    private final String keyId;

    public KmsFingerprinter(KmsClient kms, String keyId) {
        this.kms = kms;
        this.keyId = keyId;
    }

    @Override
    public String fingerprint(String app, String secret) {
        byte[] mac = kms.generateMac(b -> b.keyId(keyId).macAlgorithm(MacAlgorithmSpec.HMAC_SHA_256)
                .message(SdkBytes.fromString(app + "\n" + secret, StandardCharsets.UTF_8))).mac().asByteArray();
        return "hmac:" + Base64.getUrlEncoder().withoutPadding().encodeToString(mac);
    }
}
