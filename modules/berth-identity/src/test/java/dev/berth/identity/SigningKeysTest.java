package dev.berth.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SigningKeysTest {

  @TempDir Path dir;

  @Test
  void firstStartGeneratesAnOwnerOnlyKeyFileThatTheNextStartReloads() throws Exception {
    Path keys = dir.resolve("keys");
    SigningKeys first = SigningKeys.loadOrCreate(keys);
    Path file = keys.resolve(SigningKeys.FILE_NAME);

    assertThat(file).exists();
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-------");
    try (var listing = Files.list(keys)) {
      assertThat(listing).containsExactly(file); // the temporary file was renamed, not left
    }
    SigningKeys second = SigningKeys.loadOrCreate(keys);
    assertThat(second.signingKey().getKeyID()).isEqualTo(first.signingKey().getKeyID());
    assertThat(second.signingKey().toRSAPrivateKey())
        .isEqualTo(first.signingKey().toRSAPrivateKey());
  }

  @Test
  void keyIdIsTheRfc7638ThumbprintAndTheKeyIsRsa2048() throws Exception {
    SigningKeys keys = SigningKeys.loadOrCreate(dir);
    var key = keys.signingKey();
    assertThat(key.getKeyID()).isEqualTo(key.computeThumbprint().toString());
    assertThat(key.size()).isEqualTo(2048);
  }

  @Test
  void publicJwksCarriesNoPrivatePart() {
    SigningKeys keys = SigningKeys.loadOrCreate(dir);
    String json = keys.publicJwks().toString(true);
    assertThat(keys.publicJwksJson()).containsKey("keys");
    assertThat(json).contains("\"kid\"", "\"n\"", "\"e\"").doesNotContain("\"d\"", "\"p\"");
  }

  @Test
  void aCorruptKeyFileIsAnErrorNotASilentRegeneration() throws Exception {
    Files.writeString(dir.resolve(SigningKeys.FILE_NAME), "not json");
    assertThatThrownBy(() -> SigningKeys.loadOrCreate(dir))
        .isInstanceOf(UncheckedIOException.class);
    assertThat(Files.readString(dir.resolve(SigningKeys.FILE_NAME))).isEqualTo("not json");
  }
}
