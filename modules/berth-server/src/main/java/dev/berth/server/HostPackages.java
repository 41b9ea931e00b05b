package dev.berth.server;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What {@code berth up} brings before replicas can run: the tools the runc runtime calls ({@code
 * runc}, {@code ip}, {@code setsid}). It names what is missing and, run as root with a package
 * manager it knows, installs the packages with it, saying so first; otherwise it prints the exact
 * command to run. The host is reached only through {@link Host}, so the decision is tested without
 * installing anything. Not thread-safe (one per start).
 */
final class HostPackages {

  /** The machine as this class needs it. */
  interface Host {
    /** True when {@code tool} is an executable on {@code PATH}. */
    boolean has(String tool);

    boolean isRoot();

    /** Runs {@code command} with its output going to Berth's; its exit code. */
    int run(List<String> command, Map<String, String> environment)
        throws IOException, InterruptedException;
  }

  /** A package manager: how it updates its index and installs, and what it calls the packages. */
  record Manager(
      String tool, List<String> update, List<String> install, Map<String, String> names) {

    String packageOf(String tool) {
      return names.getOrDefault(tool, tool);
    }
  }

  /** The tools replicas need, in the order they are checked. */
  static final List<String> TOOLS = List.of("runc", "ip", "setsid");

  private static final Map<String, String> DEBIAN =
      Map.of("ip", "iproute2", "setsid", "util-linux");
  private static final Map<String, String> FEDORA = Map.of("ip", "iproute", "setsid", "util-linux");

  /** Package managers Berth knows, most common first; the first on {@code PATH} is used. */
  static final List<Manager> MANAGERS =
      List.of(
          new Manager(
              "apt-get",
              List.of("apt-get", "update"),
              List.of("apt-get", "install", "-y", "--no-install-recommends"),
              DEBIAN),
          new Manager("dnf", List.of(), List.of("dnf", "install", "-y"), FEDORA),
          new Manager("yum", List.of(), List.of("yum", "install", "-y"), FEDORA),
          new Manager(
              "zypper", List.of(), List.of("zypper", "--non-interactive", "install"), DEBIAN),
          new Manager("apk", List.of(), List.of("apk", "add"), DEBIAN),
          new Manager("pacman", List.of(), List.of("pacman", "-S", "--noconfirm"), DEBIAN));

  private final Host host;
  private final PrintWriter out;

  HostPackages(Host host, PrintWriter out) {
    this.host = host;
    this.out = out;
  }

  /**
   * Brings the missing tools when it can, else says how.
   *
   * @return true when every tool is there now
   */
  boolean ensure() throws IOException, InterruptedException {
    List<String> missing = TOOLS.stream().filter(t -> !host.has(t)).toList();
    if (missing.isEmpty()) {
      return true;
    }
    Optional<Manager> manager = MANAGERS.stream().filter(m -> host.has(m.tool())).findFirst();
    if (manager.isEmpty()) {
      out.println(
          "berth up: replicas need "
              + String.join(", ", missing)
              + ", which are not on PATH;"
              + " install them with your system's package manager (or start with --runtime none).");
      return false;
    }
    Set<String> packages = new LinkedHashSet<>();
    missing.forEach(t -> packages.add(manager.get().packageOf(t)));
    List<String> install = new ArrayList<>(manager.get().install());
    install.addAll(packages);
    if (!host.isRoot()) {
      out.println(
          "berth up: replicas need "
              + String.join(" and ", packages)
              + "; install them with: sudo "
              + String.join(" ", install)
              + " (or start with --runtime none).");
      return false;
    }
    out.println(
        "berth up: installing "
            + String.join(" and ", packages)
            + " with "
            + manager.get().tool()
            + " (replicas need them): "
            + String.join(" ", install));
    out.flush();
    Map<String, String> env = Map.of("DEBIAN_FRONTEND", "noninteractive");
    if (!manager.get().update().isEmpty()) {
      host.run(manager.get().update(), env);
    }
    int exit = host.run(install, env);
    List<String> still = TOOLS.stream().filter(t -> !host.has(t)).toList();
    if (exit != 0 || !still.isEmpty()) {
      out.println(
          "berth up: '"
              + String.join(" ", install)
              + "' "
              + (exit != 0
                  ? "failed (exit " + exit + ")"
                  : "left " + String.join(", ", still) + " missing")
              + "; install them by hand, or start with --runtime none.");
      return false;
    }
    return true;
  }

  /** This machine: {@code PATH}, {@code /proc/self/status} and child processes. */
  static Host system() {
    return new Host() {
      @Override
      public boolean has(String tool) {
        String path =
            Optional.ofNullable(System.getenv("PATH")).orElse("/usr/sbin:/usr/bin:/sbin:/bin");
        for (String dir : path.split(":")) {
          if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, tool))) {
            return true;
          }
        }
        return false;
      }

      @Override
      public boolean isRoot() {
        try {
          return Files.readAllLines(Path.of("/proc/self/status")).stream()
              .filter(line -> line.startsWith("Uid:"))
              .anyMatch(line -> line.split("\\s+")[2].equals("0"));
        } catch (IOException e) {
          return false;
        }
      }

      @Override
      public int run(List<String> command, Map<String, String> environment)
          throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command).inheritIO();
        pb.environment().putAll(environment);
        return pb.start().waitFor();
      }
    };
  }
}
