package dev.berth.server.tls;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Writes files whole or not at all (temporary file, then an atomic rename), private files with mode
 * 0600 from their first byte. Stateless and thread-safe.
 */
public final class SecureFiles {

  private SecureFiles() {}

  /** Writes a file only its owner can read: keys, secrets, {@code bootstrap.json}. */
  public static void writePrivate(Path file, String content) throws IOException {
    write(file, content, "rw-------");
  }

  public static void writePublic(Path file, String content) throws IOException {
    write(file, content, "rw-r--r--");
  }

  private static void write(Path file, String content, String mode) throws IOException {
    Path dir = file.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path tmp =
        Files.createTempFile(
            dir,
            "." + file.getFileName(),
            ".tmp",
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(mode)));
    try {
      Files.writeString(tmp, content);
      try (var channel =
          java.nio.channels.FileChannel.open(tmp, java.nio.file.StandardOpenOption.WRITE)) {
        channel.force(true);
      }
      try {
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(tmp);
    }
  }
}
