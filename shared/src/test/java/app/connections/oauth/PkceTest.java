package app.connections.oauth;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PkceTest {

    @Test
    void theS256ChallengeMatchesRfc7636AppendixB() {
        assertThat(Pkce.challenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"))
                .isEqualTo("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
    }

    @Test
    void aVerifierIsFrom32RandomBytesWithinTheAllowedLengthAndAlphabet() {
        String verifier = Pkce.randomToken();

        assertThat(verifier).hasSize(43).matches("^[A-Za-z0-9_-]{43}$");
        assertThat(Pkce.randomToken()).isNotEqualTo(verifier);
    }
}
