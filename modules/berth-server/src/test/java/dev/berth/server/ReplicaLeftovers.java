package dev.berth.server;

import dev.berth.testing.Exec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Removes what a test's runc replicas may leave when the test fails before Berth stopped them:
 * containers in its runc root, overlay mounts under its data dir, network namespaces, the bridge
 * and cgroups of its prefix. Every command is bounded by a timeout; everything tolerates absence.
 */
final class ReplicaLeftovers {

  private ReplicaLeftovers() {}

  static void remove(Path dataDir, String prefix) throws Exception {
    String root = dataDir.resolve("runtime/runc").toString();
    for (String id : lines(List.of("runc", "--root", root, "list", "-q"))) {
      run(List.of("runc", "--root", root, "delete", "--force", id));
    }
    List<String> mounts = new ArrayList<>();
    for (String line : Files.readAllLines(Path.of("/proc/self/mounts"))) {
      String[] fields = line.split(" ");
      if (fields.length > 1 && fields[1].startsWith(dataDir.toString())) {
        mounts.add(fields[1]);
      }
    }
    mounts.sort(Comparator.reverseOrder());
    for (String mount : mounts) {
      run(List.of("umount", "-l", mount));
    }
    for (String netns : lines(List.of("ip", "netns", "list"))) {
      String name = netns.split(" ")[0];
      if (name.startsWith(prefix)) {
        run(List.of("ip", "netns", "del", name));
      }
    }
    RunningBerth.removeNetworkAndCgroups(prefix + "0", prefix);
  }

  private static List<String> lines(List<String> command) throws Exception {
    String out = run(command).strip();
    return out.isEmpty() ? List.of() : List.of(out.split("\n"));
  }

  /** Runs a command for at most 30 s; its output (empty if it failed). */
  private static String run(List<String> command) throws Exception {
    Exec.Result r = Exec.of(command).timeout(Duration.ofSeconds(30)).run();
    return r.exit() == 0 ? r.output() : "";
  }
}
