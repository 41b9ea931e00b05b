package dev.berth.reconciler.diagnosis.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.api.ResourceId;
import dev.berth.api.acr.AcrDocuments;
import dev.berth.store.ResourceStore;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HexFormat;

/**
 * Whether a password is a current password of a repository-scoped token: the store keeps, per
 * password, {@code hash = hex(SHA-256(salt ‖ UTF-8 password))} and an optional {@code expiry}
 * (docs/provider-containerregistry.md, "Secrets documents"). Thread-safe.
 */
public final class TokenPasswords {

  private final ResourceStore store;
  private final Clock clock;

  public TokenPasswords(ResourceStore store, Clock clock) {
    this.store = store;
    this.clock = clock;
  }

  /** True when {@code password} matches one of the token's unexpired passwords. */
  boolean matches(ResourceId token, String password) {
    JsonNode passwords =
        store
            .get(AcrDocuments.tokenPasswords(token))
            .map(d -> d.body().path("passwords"))
            .orElse(null);
    if (passwords == null) {
      return false;
    }
    Instant now = clock.instant();
    for (JsonNode p : passwords) {
      if (!expired(p.path("expiry").asText(""), now)
          && hash(p.path("salt").asText(""), password)
              .equalsIgnoreCase(p.path("hash").asText(""))) {
        return true;
      }
    }
    return false;
  }

  private static boolean expired(String expiry, Instant now) {
    if (expiry.isBlank()) {
      return false;
    }
    try {
      return !Instant.parse(expiry).isAfter(now);
    } catch (DateTimeParseException e) {
      return false; // An unreadable expiry is the registry's to judge, not ours.
    }
  }

  static String hash(String saltHex, String password) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update(HexFormat.of().parseHex(saltHex));
      sha.update(password.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(sha.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    } catch (IllegalArgumentException e) {
      return ""; // A malformed salt matches nothing.
    }
  }
}
