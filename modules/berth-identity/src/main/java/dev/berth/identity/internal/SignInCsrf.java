package dev.berth.identity.internal;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Login-CSRF protection for the sign-in form: the GET sets a short-lived {@code __Host-} cookie and
 * puts the same token in the form; the POST must bring both, equal, and the token must carry this
 * process's MAC and not be expired. Nothing is kept per token, so a flood of GETs costs no memory.
 * Thread-safe.
 */
public final class SignInCsrf {

  /** The cookie: {@code __Host-} keeps it to this origin, path {@code /}, Secure (RFC 6265bis). */
  public static final String COOKIE = "__Host-berth-signin";

  public static final Duration LIFETIME = Duration.ofMinutes(15);

  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

  private final Clock clock;
  private final byte[] key = new byte[32];

  public SignInCsrf(Clock clock) {
    this.clock = clock;
    RANDOM.nextBytes(key);
  }

  /** A new token: random bytes and an expiry, then their MAC. */
  public String newToken() {
    ByteBuffer payload = ByteBuffer.allocate(24);
    byte[] random = new byte[16];
    RANDOM.nextBytes(random);
    payload.put(random).putLong(clock.instant().plus(LIFETIME).getEpochSecond());
    String body = B64.encodeToString(payload.array());
    return body + "." + B64.encodeToString(mac(body));
  }

  /** The {@code Set-Cookie} value that carries {@code token}. */
  public static String cookie(String token) {
    return COOKIE
        + "="
        + token
        + "; Path=/; Secure; HttpOnly; SameSite=Strict; Max-Age="
        + LIFETIME.toSeconds();
  }

  /** The {@code Set-Cookie} value that removes the cookie. */
  public static String clearCookie() {
    return COOKIE + "=; Path=/; Secure; HttpOnly; SameSite=Strict; Max-Age=0";
  }

  /** True when the form's token equals the cookie's and is one of ours, unexpired. */
  public boolean accepts(String fromCookie, String fromForm) {
    if (fromCookie == null || fromForm == null) {
      return false;
    }
    if (!MessageDigest.isEqual(
        fromCookie.getBytes(StandardCharsets.US_ASCII),
        fromForm.getBytes(StandardCharsets.US_ASCII))) {
      return false;
    }
    int dot = fromForm.indexOf('.');
    if (dot <= 0) {
      return false;
    }
    String body = fromForm.substring(0, dot);
    byte[] payload;
    byte[] given;
    try {
      payload = Base64.getUrlDecoder().decode(body);
      given = Base64.getUrlDecoder().decode(fromForm.substring(dot + 1));
    } catch (IllegalArgumentException e) {
      return false;
    }
    if (payload.length != 24 || !MessageDigest.isEqual(mac(body), given)) {
      return false;
    }
    Instant expires = Instant.ofEpochSecond(ByteBuffer.wrap(payload, 16, 8).getLong());
    return clock.instant().isBefore(expires);
  }

  private byte[] mac(String body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(body.getBytes(StandardCharsets.US_ASCII));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("every JDK has HmacSHA256", e);
    }
  }
}
