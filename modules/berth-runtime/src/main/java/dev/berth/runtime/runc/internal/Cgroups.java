package dev.berth.runtime.runc.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Removes what runc leaves in the cgroup v1 hierarchies: a replica's leaf after a crash, and the
 * empty {@code /prefix} parent, which runc never removes.
 */
public final class Cgroups {

  private static final Path ROOT = Path.of("/sys/fs/cgroup");

  private Cgroups() {}

  /** Removes {@code cgroupsPath} and then its parent, in every hierarchy, where they are empty. */
  public static void remove(String cgroupsPath) {
    Path relative = Path.of(cgroupsPath.substring(1));
    try (var hierarchies = Files.list(ROOT)) {
      for (Path hierarchy : hierarchies.toList()) {
        rmdir(hierarchy.resolve(relative));
        if (relative.getParent() != null) {
          rmdir(hierarchy.resolve(relative.getParent()));
        }
      }
    } catch (IOException e) {
      // No cgroup file system: nothing was left behind.
    }
  }

  /**
   * Removes the {@code /prefix} parent and the empty leaves under it, in every hierarchy: what a
   * runtime keeps once its replicas are stopped.
   */
  public static void removeParent(String prefix) {
    try (var hierarchies = Files.list(ROOT)) {
      for (Path hierarchy : hierarchies.toList()) {
        Path parent = hierarchy.resolve(prefix);
        if (Files.isDirectory(parent)) {
          try (var leaves = Files.list(parent)) {
            leaves.filter(Files::isDirectory).forEach(Cgroups::rmdir);
          }
          rmdir(parent);
        }
      }
    } catch (IOException e) {
      // No cgroup file system, or a parent gone meanwhile: nothing left to remove.
    }
  }

  private static void rmdir(Path dir) {
    try {
      // A cgroup directory is removed with rmdir(2) even though it lists control files.
      Files.deleteIfExists(dir);
    } catch (IOException e) {
      // Not empty (another replica) or still populated: left for the next stop.
    }
  }
}
