package dev.berth.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Writes files that hold secrets (the profile, the registry auth file): owner-only (0600, in a 0700
 * directory when it has to create one), through a temporary file and a rename so that a reader
 * never sees half a file. Stateless; concurrent writers of one file race (last rename wins).
 */
final class SecretFiles {

  private static final ObjectMapper JSON = new ObjectMapper();

  private SecretFiles() {}

  /** Replaces {@code file} with {@code json}, pretty-printed. */
  static void writeJson(Path file, JsonNode json) {
    try {
      writeAtomically(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(json));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Replaces {@code file} with {@code content}, creating its directory when missing. */
  static void writeAtomically(Path file, byte[] content) {
    try {
      Path dir = file.toAbsolutePath().getParent();
      boolean posix = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
      if (!Files.isDirectory(dir)) {
        if (posix) {
          Files.createDirectories(
              dir,
              PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } else {
          Files.createDirectories(dir);
        }
      }
      // The temporary file is created 0600, so the secret is never readable by others, not even
      // for the moment between writing and renaming.
      String prefix = "." + file.getFileName();
      Path tmp =
          posix
              ? Files.createTempFile(
                  dir,
                  prefix,
                  ".tmp",
                  PosixFilePermissions.asFileAttribute(
                      PosixFilePermissions.fromString("rw-------")))
              : Files.createTempFile(dir, prefix, ".tmp");
      Files.write(tmp, content);
      try {
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }
}
