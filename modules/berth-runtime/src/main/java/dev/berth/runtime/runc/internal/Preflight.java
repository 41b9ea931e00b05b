package dev.berth.runtime.runc.internal;

import dev.berth.runtime.RuntimeFailure;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Checks, before anything is created, that this host can run replicas, naming what is missing. */
public final class Preflight {

  private Preflight() {}

  public static void check(String runcBinary) throws RuntimeFailure {
    if (!isUidZero()) {
      throw new RuntimeFailure(
          "the runc runtime needs root (network namespaces, overlay mounts, cgroups): run Berth as"
              + " root");
    }
    tool(List.of(runcBinary, "--version"), "runc was not found on PATH: install the runc package");
    tool(List.of("ip", "-V"), "ip was not found on PATH: install the iproute2 package");
    tool(List.of("setsid", "--version"), "setsid was not found on PATH: install util-linux");
    try {
      if (Files.readAllLines(Path.of("/proc/filesystems")).stream()
          .noneMatch(line -> line.strip().endsWith("overlay"))) {
        throw new RuntimeFailure(
            "the kernel has no overlay file system (not in /proc/filesystems): run 'modprobe"
                + " overlay'");
      }
    } catch (IOException e) {
      throw new RuntimeFailure("cannot read /proc/filesystems: " + e.getMessage(), e);
    }
  }

  private static boolean isUidZero() {
    try {
      return Files.readAllLines(Path.of("/proc/self/status")).stream()
          .filter(line -> line.startsWith("Uid:"))
          .anyMatch(line -> line.split("\\s+")[2].equals("0"));
    } catch (IOException e) {
      return false;
    }
  }

  private static void tool(List<String> command, String missing) throws RuntimeFailure {
    try {
      if (!Command.run(command).ok()) {
        throw new RuntimeFailure(missing + " ('" + String.join(" ", command) + "' failed)");
      }
    } catch (IOException e) {
      throw new RuntimeFailure(missing, e);
    }
  }
}
