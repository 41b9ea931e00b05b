package dev.berth.runtime.runc.internal;

import dev.berth.runtime.ReplicaExtras;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A replica's root file system: an overlay of the image's unpacked layers (read-only, shared by
 * every replica of the image) under a per-replica upper dir, plus the {@code hosts} and {@code
 * resolv.conf} files and the host's extra read-only files that are bind-mounted into it. Stateless;
 * callers serialise writes of one replica's {@code hosts}.
 */
public final class RootFs {

  private RootFs() {}

  /**
   * Mounts the overlay at {@code layout.rootfs(name)}.
   *
   * @param layers unpacked layer directories, lowest first
   */
  public static void mount(StateLayout layout, String name, List<Path> layers) throws IOException {
    if (layers.isEmpty()) {
      throw new IOException("the image has no layers to mount");
    }
    Path rootfs = layout.rootfs(name);
    Files.createDirectories(rootfs);
    Files.createDirectories(layout.upper(name));
    Files.createDirectories(layout.work(name));
    List<String> lower = new ArrayList<>();
    for (Path layer : layers.reversed()) {
      lower.add(layer.toAbsolutePath().toString());
    }
    String options =
        "lowerdir="
            + String.join(":", lower)
            + ",upperdir="
            + layout.upper(name)
            + ",workdir="
            + layout.work(name);
    Command.run(List.of("mount", "-t", "overlay", "overlay", "-o", options, rootfs.toString()))
        .check();
  }

  /** Unmounts the overlay if it is mounted. */
  public static void unmount(StateLayout layout, String name) throws IOException {
    unmountIfMounted(layout.rootfs(name));
  }

  /** Unmounts what is mounted at {@code path}, if anything is. */
  static void unmountIfMounted(Path path) throws IOException {
    if (isMountPoint(path)) {
      var result = Command.run(List.of("umount", path.toString()));
      if (!result.ok()) {
        // Something still holds it (a shell in the directory): detach now, free when released.
        Command.run(List.of("umount", "-l", path.toString())).check();
      }
    }
  }

  /**
   * Removes {@code tree}, which a container may have written: no link followed, at any depth, and
   * on this file system only (a mount still under it fails the removal rather than being emptied).
   */
  static void removeTree(Path tree) throws IOException {
    Command.run(List.of("rm", "-rf", "--one-file-system", "--", tree.toString())).check();
  }

  public static boolean isMountPoint(Path path) throws IOException {
    String target = " " + path.toAbsolutePath().normalize() + " ";
    return Files.readAllLines(Path.of("/proc/self/mountinfo")).stream()
        .anyMatch(line -> line.contains(target));
  }

  /**
   * Writes {@code hosts} (localhost, the replica's name, then the host's extra names), {@code
   * resolv.conf} and the extra read-only files ({@code files/0}, {@code files/1}, … in the order of
   * {@code extras.files()}, 0644: the container's user reads them).
   */
  public static void writeEtcFiles(
      StateLayout layout, String name, String address, ReplicaExtras extras) throws IOException {
    Path bundle = layout.bundle(name);
    Files.writeString(bundle.resolve("hosts"), hosts(name, address, extras));
    Files.writeString(bundle.resolve("resolv.conf"), resolvConf());
    Path files = bundle.resolve(FILES);
    Files.createDirectories(files);
    for (int i = 0; i < extras.files().size(); i++) {
      Path file = files.resolve(Integer.toString(i));
      Files.write(file, extras.files().get(i).content());
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
    }
  }

  /**
   * Rewrites a replica's {@code hosts} with the current extras, in place: the file is bind-mounted
   * into the running container, which keeps the inode it was given, so a rename would go unseen.
   * The replica's own lines come first and keep their bytes, so a resolver reading meanwhile never
   * misses them. Does nothing when the bundle has no {@code hosts} (yet, or any more).
   */
  public static void rewriteHosts(
      StateLayout layout, String name, String address, ReplicaExtras extras) throws IOException {
    Path file = layout.bundle(name).resolve("hosts");
    byte[] bytes = hosts(name, address, extras).getBytes(StandardCharsets.UTF_8);
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
      ch.write(ByteBuffer.wrap(bytes), 0);
      ch.truncate(bytes.length);
    } catch (NoSuchFileException e) {
      // Not written yet (its start writes the current extras) or torn down already.
    }
  }

  /** The bundle's folder of extra read-only files. */
  public static final String FILES = "files";

  static String hosts(String name, String address, ReplicaExtras extras) {
    StringBuilder hosts =
        new StringBuilder("127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n")
            .append(address)
            .append('\t')
            .append(name)
            .append('\n');
    for (ReplicaExtras.HostEntry entry : extras.hosts()) {
      hosts.append(entry.address()).append('\t').append(entry.name()).append('\n');
    }
    return hosts.toString();
  }

  /**
   * The host's resolver configuration without loopback name servers, which a replica in its own
   * network namespace cannot reach.
   */
  static String resolvConf() throws IOException {
    Path host = Path.of("/etc/resolv.conf");
    if (!Files.isReadable(host)) {
      return "# no name servers: the host has no /etc/resolv.conf\n";
    }
    return Files.readAllLines(host).stream()
            .filter(
                line -> !(line.startsWith("nameserver 127.") || line.startsWith("nameserver ::1")))
            .collect(Collectors.joining("\n"))
        + "\n";
  }
}
