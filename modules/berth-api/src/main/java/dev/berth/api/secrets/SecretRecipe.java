package dev.berth.api.secrets;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * The one recipe for the secrets Berth makes and checks — service principals' client secrets, the
 * identity header of a replica, registry admin and token passwords: 256 random bits as base64url,
 * and a salted SHA-256 compared in constant time. A fast hash is enough because these secrets are
 * random and high-entropy, not passwords a person chose. Stateless, thread-safe.
 */
public final class SecretRecipe {

  /** The algorithm name stored beside a hash, so that it can change later. */
  public static final String ALGORITHM = "SHA-256";

  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Base64.Encoder B64URL = Base64.getUrlEncoder().withoutPadding();

  private SecretRecipe() {}

  /**
   * A new secret: 32 random bytes, base64url without padding (43 characters, no '+' or '/'). Never
   * starts with {@code -}, which {@code az login -p}, {@code az acr login -p} and {@code docker
   * login -p} would read as an option.
   */
  public static String newSecret() {
    while (true) {
      String secret = B64URL.encodeToString(randomBytes(32));
      if (secret.charAt(0) != '-') {
        return secret;
      }
    }
  }

  /** A new random salt, 16 bytes. */
  public static byte[] newSalt() {
    return randomBytes(16);
  }

  /** SHA-256 of {@code salt} followed by the UTF-8 bytes of {@code secret}. */
  public static byte[] hash(byte[] salt, String secret) {
    try {
      MessageDigest sha = MessageDigest.getInstance(ALGORITHM);
      sha.update(salt);
      sha.update(secret.getBytes(StandardCharsets.UTF_8));
      return sha.digest();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  /** True when {@code secret} hashes to {@code expected} with {@code salt}; constant time. */
  public static boolean matches(byte[] salt, byte[] expected, String secret) {
    return MessageDigest.isEqual(hash(salt, secret), expected);
  }

  private static byte[] randomBytes(int n) {
    byte[] b = new byte[n];
    RANDOM.nextBytes(b);
    return b;
  }
}
