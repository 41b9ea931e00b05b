package dev.berth.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PrivateDataDirTest {

  @TempDir Path tmp;

  static String mode(Path p) throws Exception {
    return PosixFilePermissions.toString(
        Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS));
  }

  static Path file(Path root, String relative, String mode) throws Exception {
    Path f = root.resolve(relative);
    Files.createDirectories(f.getParent());
    Files.writeString(f, "x");
    Files.setPosixFilePermissions(f, PosixFilePermissions.fromString(mode));
    return f;
  }

  static void openUp(Path root) throws Exception {
    try (var all = Files.walk(root)) {
      for (Path p : all.toList()) {
        if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
          Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
      }
    }
  }

  @Test
  void everyFolderBecomes0700AndEveryFile0600ButContainerTreesKeepTheirModes() throws Exception {
    Path root = tmp.resolve("data");
    file(root, "berth.db", "rw-r--r--");
    file(root, "berth.db-wal", "rw-r--r--");
    file(root, "bootstrap.json", "rw-------");
    file(root, "tls/ca.pem", "rw-r--r--");
    file(root, "registry/blobs/sha256/ab/abcd/data", "rw-r--r--");
    file(root, "logs/web/system.log", "rw-r--r--");
    file(root, "runtime/bundles/web-1/config.json", "rw-r--r--");
    file(root, "runtime/bundles/web-1/pid", "rw-r--r--");
    Path hosts = file(root, "runtime/bundles/web-1/hosts", "rw-r--r--");
    Path caForReplica = file(root, "runtime/bundles/web-1/files/0", "rw-r--r--");
    Path registryCa =
        file(root, "replica-certs/containers/a.azurecr.io.localhost:1/ca.crt", "rw-r--r--");
    Path binary = file(root, "runtime/bundles/web-1/upper/bin/tool", "rwxr-xr-x");
    Path scratch = file(root, "runtime/bundles/web-1/volumes/0/note", "rw-rw-rw-");
    Path secretFile = file(root, "runtime/bundles/web-1/secrets/1/password", "r--r--r--");
    Path layerFile = file(root, "images/layers/sha256/0123/bin/sh", "rwxr-xr-x");
    Path download = file(root, "images/tmp/0123-1.blob", "rw-r--r--");
    Path unpacking = file(root, "images/tmp/0123-2/etc/passwd", "rw-r--r--");
    Files.createSymbolicLink(root.resolve("link"), root.resolve("berth.db"));
    file(root, "runtime/runc/p-web-1/state.json", "rw-------");
    openUp(root);
    Path runcContainer = root.resolve("runtime/runc/p-web-1");
    Files.setPosixFilePermissions(runcContainer, PosixFilePermissions.fromString("rwx--x--x"));

    PrivateDataDir.Repair repair = PrivateDataDir.secure(new DataDir(root));

    assertThat(mode(root)).isEqualTo("rwx------");
    for (String f :
        new String[] {
          "berth.db",
          "berth.db-wal",
          "bootstrap.json",
          "tls/ca.pem",
          "registry/blobs/sha256/ab/abcd/data",
          "logs/web/system.log",
          "runtime/bundles/web-1/config.json",
          "runtime/bundles/web-1/pid"
        }) {
      assertThat(mode(root.resolve(f))).as(f).isEqualTo("rw-------");
    }
    for (String d :
        new String[] {
          "tls",
          "registry/blobs/sha256/ab",
          "runtime",
          "runtime/bundles/web-1",
          "images/layers",
          "images/layers/sha256",
          "images/tmp",
          "replica-certs"
        }) {
      assertThat(mode(root.resolve(d))).as(d).isEqualTo("rwx------");
    }
    assertThat(mode(download)).isEqualTo("rw-------");
    // Containers' trees keep their modes.
    assertThat(mode(hosts)).isEqualTo("rw-r--r--");
    assertThat(mode(caForReplica)).isEqualTo("rw-r--r--");
    assertThat(mode(registryCa)).isEqualTo("rw-r--r--");
    assertThat(mode(registryCa.getParent())).isEqualTo("rwxr-xr-x");
    assertThat(mode(binary)).isEqualTo("rwxr-xr-x");
    // The app's volumes are the container's too: its user, whoever it is, reads and writes them.
    assertThat(mode(scratch)).isEqualTo("rw-rw-rw-");
    assertThat(mode(secretFile)).isEqualTo("r--r--r--");
    assertThat(mode(root.resolve("runtime/bundles/web-1/upper"))).isEqualTo("rwxr-xr-x");
    assertThat(mode(layerFile)).isEqualTo("rwxr-xr-x");
    assertThat(mode(root.resolve("images/layers/sha256/0123"))).isEqualTo("rwxr-xr-x");
    assertThat(mode(unpacking)).isEqualTo("rw-r--r--");
    // runc's own state keeps runc's modes; the folder holding it is Berth's.
    assertThat(mode(runcContainer)).isEqualTo("rwx--x--x");
    assertThat(mode(root.resolve("runtime/runc"))).isEqualTo("rwx------");
    assertThat(repair.changed()).contains(Path.of("berth.db"), Path.of("tls"));

    // A second start finds nothing to change.
    assertThat(PrivateDataDir.secure(new DataDir(root)).changed()).isEmpty();
  }

  @Test
  void aMissingDataDirectoryIsCreated0700() throws Exception {
    Path root = tmp.resolve("new/data");

    PrivateDataDir.secure(new DataDir(root));

    assertThat(mode(root)).isEqualTo("rwx------");
  }
}
