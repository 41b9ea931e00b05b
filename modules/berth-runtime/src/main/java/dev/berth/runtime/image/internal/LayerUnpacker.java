package dev.berth.runtime.image.internal;

import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;

/**
 * Unpacks one layer blob (tar, or gzip-compressed tar) into a directory in overlayfs lower-layer
 * form: OCI whiteouts become overlay whiteouts ({@code .wh.NAME} → a 0:0 character device {@code
 * NAME}; {@code .wh..wh..opq} → the opaque xattr on its directory). Keeps modes (with setuid,
 * setgid, sticky), numeric owners (when running as root), symlinks, hard links within the layer and
 * modification times. Refuses entries that would land outside the directory: names that climb out,
 * anything beneath a symbolic link, a root that is not a directory, hard links out of the layer.
 * Device nodes other than the overlay whiteout (0:0) are skipped: a container gets its devices from
 * the runtime, never from an image. Stateless.
 *
 * @see <a href="https://github.com/opencontainers/image-spec/blob/main/layer.md">OCI layer
 *     changesets</a>
 */
final class LayerUnpacker {

  private static final String WHITEOUT = ".wh.";
  private static final String OPAQUE = ".wh..wh..opq";
  private static final LinkOption NOFOLLOW = LinkOption.NOFOLLOW_LINKS;

  /** A directory entry whose metadata is applied last, once its children exist. */
  private record Directory(TarArchiveEntry entry, Path path) {}

  private final OverlayFiles overlay;
  private final boolean applyOwners;

  /**
   * @param applyOwners whether to set each entry's numeric owner (only root may)
   */
  LayerUnpacker(OverlayFiles overlay, boolean applyOwners) {
    this.overlay = overlay;
    this.applyOwners = applyOwners;
  }

  /** Unpacks the layer file {@code blob} into {@code root}. */
  void unpack(Path blob, Path root) throws IOException {
    try (InputStream file = Files.newInputStream(blob)) {
      unpack(file, root);
    }
  }

  /**
   * Unpacks a layer as it is read from {@code blob} into {@code root}; leaves {@code blob} open,
   * read up to the tar's end (what follows, padding or nothing, is the caller's).
   */
  void unpack(InputStream blob, Path root) throws IOException {
    Files.createDirectories(root);
    List<Directory> directories = new ArrayList<>();
    // Closing the tar reader must not close blob: the caller still reads its end and its digest.
    InputStream buffered =
        new BufferedInputStream(
            new FilterInputStream(blob) {
              @Override
              public void close() {}
            },
            64 * 1024);
    try (TarArchiveInputStream tar =
        new TarArchiveInputStream(new TarEndTolerance(decompress(buffered)))) {
      for (TarArchiveEntry entry; (entry = tar.getNextEntry()) != null; ) {
        unpackEntry(tar, entry, root, directories);
      }
    }
    // Directories last: creating their children would change their mtime again.
    for (Directory directory : directories.reversed()) {
      apply(directory.entry(), directory.path());
    }
  }

  private static InputStream decompress(InputStream in) throws IOException {
    in.mark(4);
    byte[] magic = in.readNBytes(4);
    in.reset();
    if (magic.length >= 2 && (magic[0] & 0xff) == 0x1f && (magic[1] & 0xff) == 0x8b) {
      return GzipCompressorInputStream.builder()
          .setInputStream(in)
          .setDecompressConcatenated(true)
          .get();
    }
    if (magic.length == 4
        && (magic[0] & 0xff) == 0x28
        && (magic[1] & 0xff) == 0xb5
        && (magic[2] & 0xff) == 0x2f
        && (magic[3] & 0xff) == 0xfd) {
      throw new IOException(
          "zstd-compressed layers are not supported; push the image with gzip layers"
              + " (docker buildx: --output compression=gzip)");
    }
    return in;
  }

  private void unpackEntry(
      TarArchiveInputStream tar, TarArchiveEntry entry, Path root, List<Directory> directories)
      throws IOException {
    Path path = inside(root, entry.getName());
    if (path.equals(root) && !entry.isDirectory()) {
      // Replacing the root with a link or file would send every later entry through it.
      throw new IOException("layer entry '" + entry.getName() + "' would replace the layer's root");
    }
    String name = path.equals(root) ? "" : path.getFileName().toString();
    if (name.equals(OPAQUE)) {
      Path directory = ensureParents(root, path);
      overlay.opaque(directory);
      return;
    }
    if (name.startsWith(WHITEOUT)) {
      String hiddenName = name.substring(WHITEOUT.length());
      if (hiddenName.isEmpty() || hiddenName.equals(".") || hiddenName.equals("..")) {
        throw new IOException("whiteout '" + entry.getName() + "' names no file");
      }
      Path hidden = ensureParents(root, path).resolve(hiddenName);
      removeExisting(hidden, directories);
      overlay.whiteout(hidden);
      return;
    }
    if (!path.equals(root)) {
      ensureParents(root, path);
    }
    if (entry.isDirectory()) {
      if (!Files.isDirectory(path, NOFOLLOW)) {
        removeExisting(path, directories);
        Files.createDirectory(path);
      }
      directories.add(new Directory(entry, path));
      return;
    }
    if ((entry.isCharacterDevice() || entry.isBlockDevice()) && !isWhiteoutDevice(entry)) {
      return; // see the class comment: devices come from the runtime
    }
    removeExisting(path, directories);
    if (entry.isSymbolicLink()) {
      // Absolute and relative targets stay as they are: the container resolves them in its root,
      // and no later entry is written through a link (ensureParents, removeExisting).
      Files.createSymbolicLink(path, pathOf(entry.getLinkName()));
    } else if (entry.isLink()) {
      Path target = inside(root, entry.getLinkName());
      if (target.equals(root)) {
        throw new IOException("layer entry '" + entry.getName() + "' hard-links the layer's root");
      }
      ensureParents(root, target);
      // link(2) links a symbolic link itself, never what it points to.
      Files.createLink(path, target);
      return; // a hard link shares its target's inode and metadata
    } else if (entry.isCharacterDevice()) {
      overlay.whiteout(path);
      return; // a whiteout has no metadata, and opening one (to set its times) fails
    } else if (entry.isFIFO()) {
      overlay.fifo(path);
    } else if (entry.isFile()) {
      Files.copy(tar, path, StandardCopyOption.REPLACE_EXISTING);
    } else {
      return; // sockets and unknown types have no place in an image
    }
    apply(entry, path);
  }

  /** A character device 0:0: overlayfs' own form of a whiteout, which layers may carry. */
  private static boolean isWhiteoutDevice(TarArchiveEntry entry) {
    return entry.isCharacterDevice() && entry.getDevMajor() == 0 && entry.getDevMinor() == 0;
  }

  /** Resolves a tar entry name under root; refuses names that climb out. */
  private static Path inside(Path root, String name) throws IOException {
    String relative = name;
    while (relative.startsWith("/") || relative.startsWith("./")) {
      relative = relative.startsWith("/") ? relative.substring(1) : relative.substring(2);
    }
    Path path = root.resolve(pathOf(relative)).normalize();
    if (!path.startsWith(root)) {
      throw new IOException("layer entry '" + name + "' points outside the layer");
    }
    return path;
  }

  /** A path from a tar header; a name no file system allows (a NUL byte) is a bad layer. */
  private static Path pathOf(String name) throws IOException {
    try {
      return Path.of(name);
    } catch (InvalidPathException e) {
      throw new IOException("layer entry name '" + name.replace('\0', '?') + "' is not a path");
    }
  }

  /**
   * Creates the parents of {@code path} and returns its parent. Refuses a parent that is a symbolic
   * link (writing through it could land outside the layer) or not a directory.
   */
  private static Path ensureParents(Path root, Path path) throws IOException {
    Path parent = path.getParent();
    Path current = root;
    for (Path part : root.relativize(parent)) {
      if (part.toString().isEmpty()) {
        continue;
      }
      current = current.resolve(part);
      if (Files.isSymbolicLink(current)) {
        throw new IOException(
            "layer entry '"
                + root.relativize(path)
                + "' lies beneath the symbolic link '"
                + root.relativize(current)
                + "'");
      }
      if (!Files.exists(current, NOFOLLOW)) {
        Files.createDirectory(current);
      } else if (!Files.isDirectory(current, NOFOLLOW)) {
        // A file, FIFO or whiteout: nothing lies beneath it (and no opaque mark belongs on it).
        throw new IOException(
            "layer entry '"
                + root.relativize(path)
                + "' lies beneath '"
                + root.relativize(current)
                + "', which is not a directory");
      }
    }
    return parent;
  }

  /**
   * Deletes what a later entry replaces, and forgets the directories deleted with it: their
   * metadata, applied at the end, would go to whatever then stands at their path — a FIFO (setting
   * times opens it, and the open waits for a writer forever) or a symbolic link, there or in place
   * of a parent (chmod follows it out of the layer).
   */
  private static void removeExisting(Path path, List<Directory> directories) throws IOException {
    if (Files.exists(path, NOFOLLOW)) {
      FileTrees.delete(path);
      directories.removeIf(directory -> directory.path().startsWith(path));
    }
  }

  private void apply(TarArchiveEntry entry, Path path) throws IOException {
    boolean symlink = entry.isSymbolicLink();
    if (applyOwners) {
      Files.setAttribute(path, "unix:uid", (int) entry.getLongUserId(), NOFOLLOW);
      Files.setAttribute(path, "unix:gid", (int) entry.getLongGroupId(), NOFOLLOW);
    }
    if (!symlink) {
      // after chown, which clears setuid and setgid
      Files.setAttribute(path, "unix:mode", entry.getMode() & 07777);
    }
    if (entry.isFIFO()) {
      // The JDK sets times through an open file descriptor, and opening a FIFO blocks until a
      // writer comes: a FIFO in a layer would hang the pull for good. Its times do not matter.
      return;
    }
    Files.getFileAttributeView(path, BasicFileAttributeView.class, NOFOLLOW)
        .setTimes(FileTime.from(entry.getModTime().toInstant()), null, null);
  }
}
