package dev.berth.controlplane.providers.containerregistry.internal;

import java.security.SecureRandom;
import java.util.Base64;

/**
 * New random passwords for admin users and tokens (a token's is kept only as {@link
 * dev.berth.api.acr.PasswordHashes} writes it). Thread-safe.
 */
public final class RandomPasswords {

  private static final SecureRandom RANDOM = new SecureRandom();

  private RandomPasswords() {}

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
}
