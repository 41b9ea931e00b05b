package dev.berth.runtime.runc.internal;

import dev.berth.runtime.ReplicaVolume;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A replica's volumes, in its bundle, numbered by position: an empty folder at {@code volumes/<i>}
 * (mode 0777, as Kubernetes' emptyDir: the container's user may be anyone), and a secret volume at
 * {@code secrets/<i>}, a small tmpfs of its own holding the files (0444), so that secrets never
 * reach the disk. Both live and go with the bundle; the teardown unmounts the tmpfs first ({@link
 * #release}). Stateless.
 */
public final class Volumes {

  private static final String EMPTY_DIRS = "volumes";
  private static final String SECRETS = "secrets";

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
        open(root);
      }
      for (ReplicaVolume.Mount m : v.mounts()) {
        Path source = m.subPath().isEmpty() ? root : root.resolve(m.subPath()).normalize();
        if (!source.startsWith(root)) {
          throw new IOException("the sub-path '" + m.subPath() + "' leaves volume " + v.name());
        }
        if (secret && !Files.exists(source)) {
          throw new IOException(
              "the secret volume " + v.name() + " has no file '" + m.subPath() + "'");
        }
        if (!secret) {
          open(source);
        }
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
        if (RootFs.isMountPoint(dir)) {
          var result = Command.run(List.of("umount", dir.toString()));
          if (!result.ok()) {
            Command.run(List.of("umount", "-l", dir.toString())).check();
          }
        }
      }
    }
  }

  /** A folder and its parents within the volume, each writable by the container's user. */
  private static void open(Path dir) throws IOException {
    Files.createDirectories(dir);
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
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
