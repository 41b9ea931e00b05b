package dev.berth.server;

import dev.berth.api.files.PrivateFiles;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Keeps the data directory its owner's only, checked and repaired at every start: the directory and
 * every folder in it 0700, every file 0600 (a Berth before this one, a restored backup or a
 * hand-made file may have left them readable). The writers create their files private already
 * ({@link PrivateFiles}); this catches whatever did not.
 *
 * <p>Two kinds of tree keep the modes they have, because they belong to containers, not to Berth:
 * unpacked image layers ({@code images/layers/sha256/<hex>/…}, a container needs its 0755 binaries
 * and 0644 libraries) and each replica's root file system ({@code
 * runtime/bundles/<name>/rootfs|upper|work}, plus the {@code hosts}, {@code resolv.conf} and {@code
 * files/} (Berth's CA certificate) that are bind-mounted into it and must stay readable by the
 * container's own user, and its volumes: {@code volumes/} and the in-memory {@code secrets/}), and
 * the registries' CA folders bound into every replica ({@code replica-certs/containers|docker}).
 * The 0700 folders above them are what keeps other users out. Symbolic links and special files are
 * left alone. Stateless, thread-safe.
 */
final class PrivateDataDir {

  /**
   * Paths, relative to the data directory, whose subtree keeps its own modes (see {@link DataDir}).
   */
  private static final List<Pattern> NOT_BERTHS =
      List.of(
          Pattern.compile("images/layers/[^/]+/[^/]+"),
          Pattern.compile("images/tmp/[^/]+(?<!\\.blob)"),
          Pattern.compile(
              "runtime/bundles/[^/]+/(rootfs|upper|work|hosts|resolv\\.conf|files|volumes|secrets)"),
          Pattern.compile("runtime/runc/[^/]+"),
          Pattern.compile("replica-certs/(containers|docker)"));

  /** What one check found: how many files and folders it looked at, which it had to change. */
  record Repair(int checked, List<Path> changed) {}

  private PrivateDataDir() {}

  /** Creates the data directory (0700) if missing and makes everything in it private. */
  static Repair secure(DataDir dir) throws IOException {
    Path root = dir.root();
    PrivateFiles.createDirectories(root);
    List<Path> changed = new ArrayList<>();
    int[] checked = {0};
    Files.walkFileTree(
        root,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs)
              throws IOException {
            if (keepsItsModes(root, d)) {
              return FileVisitResult.SKIP_SUBTREE;
            }
            restrict(d);
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFile(Path f, BasicFileAttributes attrs) throws IOException {
            if (attrs.isRegularFile() && !keepsItsModes(root, f)) {
              restrict(f);
            }
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFileFailed(Path f, IOException e) throws IOException {
            // Something else in the data directory may delete a file while we look (a temp file).
            if (e instanceof NoSuchFileException) {
              return FileVisitResult.CONTINUE;
            }
            throw e;
          }

          private void restrict(Path p) throws IOException {
            checked[0]++;
            try {
              if (PrivateFiles.restrict(p)) {
                changed.add(root.relativize(p));
              }
            } catch (NoSuchFileException e) {
              // gone meanwhile
            }
          }
        });
    return new Repair(checked[0], List.copyOf(changed));
  }

  /** Whether {@code p} lies in a tree that belongs to a container or to runc (see above). */
  static boolean keepsItsModes(Path root, Path p) {
    String relative = root.relativize(p).toString().replace('\\', '/');
    return NOT_BERTHS.stream().anyMatch(rule -> rule.matcher(relative).matches());
  }
}
