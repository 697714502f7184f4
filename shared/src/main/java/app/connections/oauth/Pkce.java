package app.connections.oauth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;

/** RFC 7636 PKCE with S256, and the random one-time values of the flow. */
public final class Pkce {
    private static final Base64.Encoder B64URL = Base64.getUrlEncoder().withoutPadding();

    private Pkce() {
    }

    /** 32 random bytes as base64url: 43 characters, within RFC 7636's 43–128. */
    public static String randomToken() {
        byte[] bytes = new byte[32];
        // a new generator per value: none is created at init and carried in a SnapStart snapshot
        new SecureRandom().nextBytes(bytes);
        return B64URL.encodeToString(bytes);
    }

    /** {@code BASE64URL(SHA256(ASCII(verifier)))}. */
    public static String challenge(String verifier) {
        try {
            return B64URL.encodeToString(MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is unavailable", e);
        }
    }
}
