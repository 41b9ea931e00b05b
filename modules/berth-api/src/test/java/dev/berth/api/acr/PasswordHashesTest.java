package dev.berth.api.acr;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The one salted-hash recipe of token passwords and the one expiry rule. */
class PasswordHashesTest {

  private static final Instant NOW = Instant.parse("2026-11-26T20:00:00Z");

  @Test
  void anEntryHoldsAHexSaltAndTheHexHashOfSaltAndPasswordNeverThePassword() throws Exception {
    ObjectNode entry = PasswordHashes.entry("password1", "s3cret", Optional.empty());

    byte[] salt = HexFormat.of().parseHex(entry.path("salt").asText());
    var sha = MessageDigest.getInstance("SHA-256");
    sha.update(salt);
    sha.update("s3cret".getBytes(StandardCharsets.UTF_8));
    assertThat(salt).hasSize(16);
    assertThat(entry.path("hash").asText()).isEqualTo(HexFormat.of().formatHex(sha.digest()));
    assertThat(entry.toString()).doesNotContain("s3cret");
    assertThat(entry.has("expiry")).isFalse();
    assertThat(PasswordHashes.matches(entry, "s3cret")).isTrue();
    assertThat(PasswordHashes.matches(entry, "s3cret ")).isFalse();
  }

  @Test
  void twoEntriesOfOnePasswordHaveDifferentSalts() {
    assertThat(PasswordHashes.entry("p", "x", Optional.empty()).path("salt"))
        .isNotEqualTo(PasswordHashes.entry("p", "x", Optional.empty()).path("salt"));
  }

  @Test
  void aMalformedOrNonHexEntryMatchesNothing() {
    ObjectNode entry = PasswordHashes.entry("password1", "pw", Optional.empty());
    ObjectNode base64 = entry.deepCopy();
    base64.put(
        "salt",
        Base64.getEncoder().encodeToString(HexFormat.of().parseHex(entry.path("salt").asText())));
    base64.put(
        "hash",
        Base64.getEncoder().encodeToString(HexFormat.of().parseHex(entry.path("hash").asText())));
    ObjectNode noSalt = entry.deepCopy().put("salt", "");

    assertThat(PasswordHashes.matches(base64, "pw")).isFalse();
    assertThat(PasswordHashes.matches(noSalt, "pw")).isFalse();
    assertThat(PasswordHashes.matches(entry.deepCopy().put("hash", "zz"), "pw")).isFalse();
  }

  @Test
  void aPasswordWithoutExpiryOrWithAFutureOneCounts() {
    ObjectNode never = PasswordHashes.entry("password1", "pw", Optional.empty());
    ObjectNode later = PasswordHashes.entry("password1", "pw", Optional.of(NOW.plusSeconds(1)));

    assertThat(PasswordHashes.expired(never, NOW)).isEmpty();
    assertThat(PasswordHashes.expired(later, NOW)).isEmpty();
    assertThat(later.path("expiry").asText()).isEqualTo("2026-11-26T20:00:01Z");
  }

  @Test
  void aPasswordExpiresAtItsExpiryAndAnOffsetIsRead() {
    ObjectNode now = PasswordHashes.entry("password2", "pw", Optional.of(NOW));
    ObjectNode offset = now.deepCopy().put("expiry", "2026-11-26T21:00:00+02:00");

    assertThat(PasswordHashes.expired(now, NOW))
        .contains("password2 expired at 2026-11-26T20:00:00Z");
    assertThat(PasswordHashes.expired(offset, NOW))
        .contains("password2 expired at 2026-11-26T19:00:00Z");
  }

  @Test
  void anExpiryThatCannotBeReadCountsAsExpired() {
    ObjectNode entry =
        PasswordHashes.entry("password1", "pw", Optional.empty()).put("expiry", "next tuesday");

    assertThat(PasswordHashes.expired(entry, NOW))
        .contains("password1 has an expiry that cannot be read ('next tuesday')");
  }
}
