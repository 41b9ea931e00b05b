package dev.berth.api.acr;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.api.secrets.SecretRecipe;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.HexFormat;
import java.util.Optional;

/**
 * How a repository-scoped token's passwords are kept, and when one counts: the one salted-hash
 * recipe and the one expiry rule that the control plane writes with and the registry and the pull
 * diagnosis judge with. Each password is an entry of {@link AcrDocuments#tokenPasswords}:
 *
 * <pre>
 * {"name": "password1", "salt": "&lt;16 random bytes, hex&gt;",
 *  "hash": "&lt;hex(SHA-256(salt bytes ‖ UTF-8 password))&gt;", "expiry": "2027-01-01T00:00:00Z"?}
 * </pre>
 *
 * A password without {@code expiry} never expires; one whose expiry cannot be read counts as
 * expired (fail closed). Stateless and thread-safe.
 */
public final class PasswordHashes {

  private static final HexFormat HEX = HexFormat.of();

  private PasswordHashes() {}

  /** A new stored entry for {@code password}: a fresh salt, the hash, the expiry if any. */
  public static ObjectNode entry(String name, String password, Optional<Instant> expiry) {
    byte[] salt = SecretRecipe.newSalt();
    ObjectNode entry =
        JsonNodeFactory.instance
            .objectNode()
            .put("name", name)
            .put("hash", HEX.formatHex(SecretRecipe.hash(salt, password)))
            .put("salt", HEX.formatHex(salt));
    expiry.ifPresent(e -> entry.put("expiry", e.toString()));
    return entry;
  }

  /** True when {@code password} is the one {@code entry} holds the hash of (constant time). */
  public static boolean matches(JsonNode entry, String password) {
    try {
      byte[] salt = HEX.parseHex(entry.path("salt").asText(""));
      byte[] stored = HEX.parseHex(entry.path("hash").asText(""));
      return salt.length > 0 && SecretRecipe.matches(salt, stored, password);
    } catch (IllegalArgumentException e) {
      return false; // A malformed entry matches nothing.
    }
  }

  /**
   * Why {@code entry} no longer counts at {@code now}, when it does not: {@code password1 expired
   * at 2026-01-01T00:00:00Z}, or its expiry is unreadable. Empty while it counts.
   */
  public static Optional<String> expired(JsonNode entry, Instant now) {
    String name = entry.path("name").asText("password");
    String text = entry.path("expiry").asText("");
    if (text.isBlank()) {
      return Optional.empty();
    }
    Instant expiry;
    try {
      expiry = OffsetDateTime.parse(text.strip()).toInstant();
    } catch (DateTimeParseException e) {
      return Optional.of(name + " has an expiry that cannot be read ('" + text + "')");
    }
    return now.isBefore(expiry) ? Optional.empty() : Optional.of(name + " expired at " + expiry);
  }
}
