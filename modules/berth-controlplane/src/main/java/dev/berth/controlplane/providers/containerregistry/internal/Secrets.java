package dev.berth.controlplane.providers.containerregistry.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/**
 * Random passwords and the salted hash token passwords are kept as. Thread-safe.
 *
 * <p>The hash recipe, which the registry's token service repeats to verify a password: {@code hash
 * = hex(SHA-256(salt bytes || UTF-8 bytes of the password))}, with a random 16-byte salt stored as
 * lower-case hex beside it.
 */
public final class Secrets {

  private static final SecureRandom RANDOM = new SecureRandom();

  private Secrets() {}

  /**
   * A new password: 32 random bytes, base64url without padding (43 characters, no '+' or '/'),
   * never starting with {@code -}, which {@code docker login -p} and {@code az … -p} would read as
   * an option.
   */
  public static String password() {
    byte[] b = new byte[32];
    while (true) {
      RANDOM.nextBytes(b);
      String password = Base64.getUrlEncoder().withoutPadding().encodeToString(b);
      if (password.charAt(0) != '-') {
        return password;
      }
    }
  }

  /** A new random 16-byte salt. */
  public static byte[] salt() {
    byte[] b = new byte[16];
    RANDOM.nextBytes(b);
    return b;
  }

  /** {@code hex(SHA-256(salt || UTF-8(password)))}, lower case. */
  public static String hash(byte[] salt, String password) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update(salt);
      sha.update(password.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(sha.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }

  public static String hex(byte[] bytes) {
    return HexFormat.of().formatHex(bytes);
  }
}
