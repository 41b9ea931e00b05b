package dev.berth.api.files;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Files and directories only their owner may open: files are created 0600 and directories 0700 from
 * the first moment (the mode is given to {@code open}/{@code mkdir}, so there is no window in which
 * another user could open them), whatever the process's umask. Every file Berth writes in its data
 * directory goes through here. Stateless, thread-safe.
 */
public final class PrivateFiles {

  /** {@code rw-------}. */
  public static final Set<PosixFilePermission> FILE_MODE =
      Set.copyOf(PosixFilePermissions.fromString("rw-------"));

  /** {@code rwx------}. */
  public static final Set<PosixFilePermission> DIRECTORY_MODE =
      Set.copyOf(PosixFilePermissions.fromString("rwx------"));

  private PrivateFiles() {}

  /** The attribute that creates a file 0600. */
  public static FileAttribute<Set<PosixFilePermission>> fileMode() {
    return PosixFilePermissions.asFileAttribute(FILE_MODE);
  }

  /** The attribute that creates a directory 0700. */
  public static FileAttribute<Set<PosixFilePermission>> directoryMode() {
    return PosixFilePermissions.asFileAttribute(DIRECTORY_MODE);
  }

  /** Creates {@code dir} and its missing parents 0700; existing ones keep their mode. */
  public static Path createDirectories(Path dir) throws IOException {
    return Files.createDirectories(dir, directoryMode());
  }

  /** Creates an empty file 0600; fails if it exists. */
  public static Path createFile(Path file) throws IOException {
    return Files.createFile(file, fileMode());
  }

  /** Creates {@code file} 0600 if it is missing; an existing file keeps its content. */
  public static void ensureFile(Path file) throws IOException {
    try {
      createFile(file);
    } catch (FileAlreadyExistsException e) {
      // someone made it first: the caller restricts it if it must
    }
  }

  /**
   * Opens a channel on {@code file}; when {@code options} create it, it is created 0600 (an
   * existing file keeps its mode).
   */
  public static FileChannel open(Path file, OpenOption... options) throws IOException {
    Set<OpenOption> set = new HashSet<>(List.of(options));
    return FileChannel.open(file, set, fileMode());
  }

  /**
   * Replaces {@code file} whole or not at all: a 0600 temporary file beside it, written and flushed
   * to disk, then renamed over it. Creates missing parent directories 0700.
   */
  public static void write(Path file, byte[] content) throws IOException {
    Path dir = file.toAbsolutePath().getParent();
    createDirectories(dir);
    Path tmp = Files.createTempFile(dir, "." + file.getFileName(), ".tmp", fileMode());
    try {
      try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
        var buffer = ByteBuffer.wrap(content);
        while (buffer.hasRemaining()) {
          channel.write(buffer);
        }
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

  /** {@link #write(Path, byte[])} of UTF-8 text. */
  public static void writeString(Path file, String content) throws IOException {
    write(file, content.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * Sets an existing file to 0600 or directory to 0700, without following a symbolic link (links
   * and special files are left alone).
   *
   * @return true when the mode had to change
   */
  public static boolean restrict(Path path) throws IOException {
    var attributes =
        Files.readAttributes(path, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    Set<PosixFilePermission> wanted;
    if (attributes.isDirectory()) {
      wanted = DIRECTORY_MODE;
    } else if (attributes.isRegularFile()) {
      wanted = FILE_MODE;
    } else {
      return false;
    }
    if (attributes.permissions().equals(wanted)) {
      return false;
    }
    Files.setPosixFilePermissions(path, wanted);
    return true;
  }
}
