package dev.berth.controlplane.providers.app.internal;

import dev.berth.api.ArmErrorCode;
import dev.berth.api.ArmException;
import dev.berth.api.ResourceId;
import dev.berth.controlplane.StreamRoute;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The short-lived bearer tokens {@code getAuthToken} hands out for a container app's or an
 * environment's log streams, and their check on the stream routes. A token names one resource and
 * an expiry, signed with HMAC-SHA256 under a random key made at start and kept only in memory: it
 * opens nothing but that resource's streams, ARM does not accept it (it is no JWT of a signing key
 * ARM trusts), and every token dies with the process. Thread-safe.
 */
public final class StreamTokens implements StreamRoute.TokenCheck {

  /** How long a token opens a stream; a stream opened in time may follow past it. */
  public static final Duration LIFETIME = Duration.ofMinutes(15);

  private static final String VERSION = "bst1";
  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
  private static final Base64.Decoder UNB64 = Base64.getUrlDecoder();

  /** A token and when it stops opening streams. */
  public record Issued(String token, Instant expires) {}

  private final SecretKeySpec key;
  private final Clock clock;

  private StreamTokens(byte[] key, Clock clock) {
    this.key = new SecretKeySpec(key, "HmacSHA256");
    this.clock = clock;
  }

  /** Tokens under a new random key. */
  public static StreamTokens random(Clock clock) {
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    return new StreamTokens(key, clock);
  }

  /** A token for {@code resource}'s streams, valid for {@link #LIFETIME}. */
  public Issued issue(ResourceId resource) {
    Instant expires = clock.instant().plus(LIFETIME).truncatedTo(ChronoUnit.SECONDS);
    String payload = expires.getEpochSecond() + "|" + resource.key();
    String body = B64.encodeToString(payload.getBytes(StandardCharsets.UTF_8));
    return new Issued(VERSION + "." + body + "." + B64.encodeToString(mac(body)), expires);
  }

  @Override
  public void check(String token, ResourceId resource) {
    String[] parts = token.split("\\.", -1);
    if (parts.length != 3 || !parts[0].equals(VERSION)) {
      throw invalid("The token is not one that getAuthToken issued.");
    }
    byte[] signature;
    String payload;
    try {
      signature = UNB64.decode(parts[2]);
      payload = new String(UNB64.decode(parts[1]), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw invalid("The token is not one that getAuthToken issued.");
    }
    // Constant-time, so the signature cannot be guessed a byte at a time.
    if (!MessageDigest.isEqual(signature, mac(parts[1]))) {
      throw invalid("The token has an invalid signature (or this Berth restarted since).");
    }
    int bar = payload.indexOf('|');
    if (bar < 0 || !payload.substring(bar + 1).equals(resource.key())) {
      throw invalid("The token was issued for another resource than '" + resource.value() + "'.");
    }
    long expires;
    try {
      expires = Long.parseLong(payload.substring(0, bar));
    } catch (NumberFormatException e) {
      throw invalid("The token is not one that getAuthToken issued.");
    }
    if (clock.instant().getEpochSecond() >= expires) {
      throw ArmException.of(
          ArmErrorCode.ExpiredAuthenticationToken,
          "The token expired at "
              + Instant.ofEpochSecond(expires)
              + "; ask getAuthToken for a new one.");
    }
  }

  private static ArmException invalid(String message) {
    return ArmException.of(ArmErrorCode.InvalidAuthenticationToken, message);
  }

  private byte[] mac(String body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(key);
      return mac.doFinal(body.getBytes(StandardCharsets.US_ASCII));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
    }
  }
}
