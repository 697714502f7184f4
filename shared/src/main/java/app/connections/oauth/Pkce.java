package app.connections.oauth;

import com.nimbusds.oauth2.sdk.pkce.CodeChallenge;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * RFC 7636 PKCE with S256, and the random one-time values of the flow (state, verifier, session
 * ids, nonces, completion codes). The values stay ours: a new {@link SecureRandom} per value, so
 * none is created at init and carried in a SnapStart snapshot.
 */
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

    /**
     * The S256 challenge {@code BASE64URL(SHA256(ASCII(verifier)))}, computed by Nimbus
     * ({@link CodeChallenge#compute}), which also refuses a verifier outside RFC 7636 §4.1 (43 to 128
     * unreserved characters).
     */
    public static String challenge(String verifier) {
        return CodeChallenge.compute(CodeChallengeMethod.S256, new CodeVerifier(verifier)).getValue();
    }
}
