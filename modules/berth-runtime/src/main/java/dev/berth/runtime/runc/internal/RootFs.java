package dev.berth.runtime.runc.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A replica's root file system: an overlay of the image's unpacked layers (read-only, shared by
 * every replica of the image) under a per-replica upper dir, plus the {@code hosts} and {@code
 * resolv.conf} files that are bind-mounted into it.
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
    Path rootfs = layout.rootfs(name);
    if (isMountPoint(rootfs)) {
      var result = Command.run(List.of("umount", rootfs.toString()));
      if (!result.ok()) {
        // Something still holds it (a shell in the directory): detach now, free when released.
        Command.run(List.of("umount", "-l", rootfs.toString())).check();
      }
    }
  }

  public static boolean isMountPoint(Path path) throws IOException {
    String target = " " + path.toAbsolutePath().normalize() + " ";
    return Files.readAllLines(Path.of("/proc/self/mountinfo")).stream()
        .anyMatch(line -> line.contains(target));
  }

  /** Writes {@code hosts} (localhost and the replica's name) and {@code resolv.conf}. */
  public static void writeEtcFiles(StateLayout layout, String name, String address)
      throws IOException {
    Path bundle = layout.bundle(name);
    Files.writeString(
        bundle.resolve("hosts"),
        "127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n"
            + address
            + "\t"
            + name
            + "\n");
    Files.writeString(bundle.resolve("resolv.conf"), resolvConf());
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
