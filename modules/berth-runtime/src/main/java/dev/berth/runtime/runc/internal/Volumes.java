package dev.berth.runtime.runc.internal;

import dev.berth.runtime.ReplicaVolume;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A replica's volumes, in its bundle, numbered by position: an empty folder at {@code volumes/<i>}
 * (mode 0777, as Kubernetes' emptyDir: the container's user may be anyone; made anew at each start,
 * and its sub-paths made segment by segment, never through a link), and a secret volume at {@code
 * secrets/<i>}, a small tmpfs of its own holding the files (0444), so that secrets never reach the
 * disk. Both live and go with the bundle; the teardown unmounts the tmpfs first ({@link #release}).
 * Stateless.
 */
public final class Volumes {

  private static final String EMPTY_DIRS = "volumes";
  private static final String SECRETS = "secrets";
  private static final Set<PosixFilePermission> ANYONE =
      PosixFilePermissions.fromString("rwxrwxrwx");

  private Volumes() {}

  /**
   * Makes each volume in {@code bundle} and answers where the container sees it.
   *
   * @throws IOException when a folder or the tmpfs cannot be made, or a secret volume's {@code
   *     subPath} names nothing in it
   */
  public static List<OciSpec.Bind> prepare(Path bundle, List<ReplicaVolume> volumes)
      throws IOException {
    List<OciSpec.Bind> binds = new ArrayList<>();
    for (int i = 0; i < volumes.size(); i++) {
      ReplicaVolume v = volumes.get(i);
      boolean secret = v.kind() == ReplicaVolume.Kind.SECRET;
      Path root = bundle.resolve(secret ? SECRETS : EMPTY_DIRS).resolve(Integer.toString(i));
      if (secret) {
        secretFiles(root, v.files());
      } else {
        fresh(root);
      }
      for (ReplicaVolume.Mount m : v.mounts()) {
        Path source = secret ? secretPath(root, v, m.subPath()) : folder(root, v, m.subPath());
        binds.add(new OciSpec.Bind(m.destination(), source, secret));
      }
    }
    return binds;
  }

  /** Unmounts the replica's secret volumes, if mounted; the bundle's removal does the rest. */
  public static void release(Path bundle) throws IOException {
    Path secrets = bundle.resolve(SECRETS);
    if (!Files.isDirectory(secrets)) {
      return;
    }
    try (DirectoryStream<Path> each = Files.newDirectoryStream(secrets)) {
      for (Path dir : each) {
        RootFs.unmountIfMounted(dir);
      }
    }
  }

  /**
   * An empty folder at {@code root}, writable by the container's user. What a container left there
   * before (a bundle whose teardown failed, its name reused) is removed first ({@link
   * RootFs#removeTree}), so nothing it planted is ever followed as root.
   */
  private static void fresh(Path root) throws IOException {
    if (Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
      RootFs.removeTree(root);
    }
    Files.createDirectories(root.getParent());
    Files.createDirectory(root);
    Files.setPosixFilePermissions(root, ANYONE);
  }

  /**
   * The folder {@code subPath} names in a fresh empty folder: each segment made, writable by the
   * container's user; one that exists must be a folder, never a link.
   */
  private static Path folder(Path root, ReplicaVolume v, String subPath) throws IOException {
    Path at = root;
    for (String segment : subPath.isEmpty() ? new String[0] : subPath.split("/")) {
      if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
        throw new IOException("the sub-path '" + subPath + "' leaves volume " + v.name());
      }
      at = at.resolve(segment);
      if (!Files.exists(at, LinkOption.NOFOLLOW_LINKS)) {
        Files.createDirectory(at);
        Files.setPosixFilePermissions(at, ANYONE);
      } else if (!Files.isDirectory(at, LinkOption.NOFOLLOW_LINKS)) {
        throw new IOException(
            "the sub-path '" + subPath + "' of volume " + v.name() + " is no folder");
      }
    }
    return at;
  }

  /** A file (or the whole volume) of a secret volume, which holds only what Berth wrote. */
  private static Path secretPath(Path root, ReplicaVolume v, String subPath) throws IOException {
    if (subPath.isEmpty()) {
      return root;
    }
    Path source = root.resolve(subPath).normalize();
    if (!root.equals(source.getParent())
        || !Files.isRegularFile(source, LinkOption.NOFOLLOW_LINKS)) {
      throw new IOException("the secret volume " + v.name() + " has no file '" + subPath + "'");
    }
    return source;
  }

  private static void secretFiles(Path dir, Map<String, String> files) throws IOException {
    Files.createDirectories(dir);
    long bytes = 0;
    for (String content : files.values()) {
      bytes += content.getBytes(StandardCharsets.UTF_8).length + 4096;
    }
    String options = "mode=0755,nosuid,nodev,noexec,size=" + Math.max(65536, bytes);
    if (!RootFs.isMountPoint(dir)) {
      Command.run(List.of("mount", "-t", "tmpfs", "-o", options, "tmpfs", dir.toString())).check();
    }
    for (Map.Entry<String, String> f : files.entrySet()) {
      Path file = dir.resolve(f.getKey()).normalize();
      if (!dir.equals(file.getParent())) {
        throw new IOException("a secret volume's file name must not hold '/': " + f.getKey());
      }
      Files.writeString(file, f.getValue(), StandardCharsets.UTF_8);
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("r--r--r--"));
    }
  }
}
