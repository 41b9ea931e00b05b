package dev.berth.portal.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * A PKCE pair (RFC 7636): the verifier the portal keeps, and its S256 challenge, which goes to the
 * authorize endpoint. Immutable.
 *
 * @param verifier 256 random bits, base64url without padding (43 characters, RFC 7636 §4.1)
 * @param challenge {@code BASE64URL(SHA256(ASCII(verifier)))} (RFC 7636 §4.2)
 */
record Pkce(String verifier, String challenge) {

  /** A fresh pair. */
  static Pkce create() {
    String verifier = Sessions.randomToken();
    return new Pkce(verifier, challengeOf(verifier));
  }

  /** The S256 challenge of {@code verifier}. */
  static String challengeOf(String verifier) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
      return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}
