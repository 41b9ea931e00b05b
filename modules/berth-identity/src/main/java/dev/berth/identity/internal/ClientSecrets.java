package dev.berth.identity.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * Client secrets: generation (256 random bits, base64url, 43 characters) and salted SHA-256 hashing
 * with constant-time comparison. A fast hash is enough because the secrets are random and
 * high-entropy, not passwords a person chose. Thread-safe.
 */
public final class ClientSecrets {

  /** The algorithm name stored beside each hash, so it can change later. */
  public static final String ALGORITHM = "SHA-256";

  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Base64.Encoder B64URL = Base64.getUrlEncoder().withoutPadding();

  private ClientSecrets() {}

  /**
   * A new secret: 32 random bytes, base64url without padding. Never starts with {@code -}: {@code
   * az login -p -abc…} would read such a secret as an option (seen in AzCliIT).
   */
  public static String newSecret() {
    while (true) {
      String secret = B64URL.encodeToString(randomBytes(32));
      if (secret.charAt(0) != '-') {
        return secret;
      }
    }
  }

  /** A new random salt. */
  public static byte[] newSalt() {
    return randomBytes(16);
  }

  public static byte[] hash(byte[] salt, String secret) {
    try {
      MessageDigest md = MessageDigest.getInstance(ALGORITHM);
      md.update(salt);
      md.update(secret.getBytes(StandardCharsets.UTF_8));
      return md.digest();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing", e);
    }
  }

  /** True when {@code secret} hashes to {@code expected}; the comparison takes constant time. */
  public static boolean matches(byte[] salt, byte[] expected, String secret) {
    return MessageDigest.isEqual(hash(salt, secret), expected);
  }

  private static byte[] randomBytes(int n) {
    byte[] b = new byte[n];
    RANDOM.nextBytes(b);
    return b;
  }
}
