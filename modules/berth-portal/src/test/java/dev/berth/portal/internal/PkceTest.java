package dev.berth.portal.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PkceTest {

  @Test
  void theChallengeIsRfc7636sS256OfTheVerifier() {
    // RFC 7636, Appendix B.
    assertThat(Pkce.challengeOf("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"))
        .isEqualTo("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
  }

  @Test
  void aVerifierIs256RandomBitsInBase64url() {
    Pkce a = Pkce.create();
    Pkce b = Pkce.create();

    assertThat(a.verifier()).matches("[A-Za-z0-9_-]{43}");
    assertThat(a.verifier()).isNotEqualTo(b.verifier());
    assertThat(a.challenge()).isEqualTo(Pkce.challengeOf(a.verifier()));
  }
}
