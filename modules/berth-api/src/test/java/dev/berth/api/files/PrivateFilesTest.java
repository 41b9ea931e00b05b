package dev.berth.api.files;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PrivateFilesTest {

  @TempDir Path dir;

  static String mode(Path p) throws Exception {
    return PosixFilePermissions.toString(
        Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS));
  }

  @Test
  void directoriesAndFilesAreCreatedOwnerOnly() throws Exception {
    Path nested = PrivateFiles.createDirectories(dir.resolve("a/b"));
    PrivateFiles.writeString(nested.resolve("f.json"), "{}");
    try (var ch =
        PrivateFiles.open(
            nested.resolve("log"), StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
      ch.write(ByteBuffer.wrap(new byte[] {1}));
    }
    PrivateFiles.createFile(nested.resolve("empty"));

    assertThat(mode(dir.resolve("a"))).isEqualTo("rwx------");
    assertThat(mode(nested)).isEqualTo("rwx------");
    assertThat(mode(nested.resolve("f.json"))).isEqualTo("rw-------");
    assertThat(mode(nested.resolve("log"))).isEqualTo("rw-------");
    assertThat(mode(nested.resolve("empty"))).isEqualTo("rw-------");
    assertThat(Files.readString(nested.resolve("f.json"))).isEqualTo("{}");
    try (var files = Files.list(nested)) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .containsExactlyInAnyOrder("f.json", "log", "empty");
    }
  }

  @Test
  void writeReplacesAFileWholeAndMakesItPrivate() throws Exception {
    Path f = dir.resolve("f");
    Files.writeString(f, "old");
    Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-r--r--"));

    PrivateFiles.writeString(f, "new");

    assertThat(Files.readString(f)).isEqualTo("new");
    assertThat(mode(f)).isEqualTo("rw-------");
  }

  @Test
  void restrictFixesFilesAndDirectoriesAndLeavesLinksAlone() throws Exception {
    Path f = Files.writeString(dir.resolve("f"), "x");
    Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-r--r--"));
    Path d = Files.createDirectory(dir.resolve("d"));
    Files.setPosixFilePermissions(d, PosixFilePermissions.fromString("rwxr-xr-x"));
    Path link = Files.createSymbolicLink(dir.resolve("link"), f);

    assertThat(PrivateFiles.restrict(f)).isTrue();
    assertThat(PrivateFiles.restrict(d)).isTrue();
    assertThat(PrivateFiles.restrict(f)).isFalse();
    assertThat(PrivateFiles.restrict(link)).isFalse();

    assertThat(mode(f)).isEqualTo("rw-------");
    assertThat(mode(d)).isEqualTo("rwx------");
  }
}
