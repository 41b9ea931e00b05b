package dev.berth.runtime.runc.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds the kernel's OOM kills of a replica's memory cgroup. The cgroup's own counter ({@code
 * memory.oom_control} {@code oom_kill}) cannot be used: foreground {@code runc run} removes the
 * cgroup before it exits, and cgroup v1 does not count the kill in the parent. The kernel log keeps
 * it: {@code [ 123.45] oom-kill:...,oom_memcg=/prefix/name,...} (cadvisor's OOM watcher reads the
 * same lines).
 */
public final class KernelLog {

  private static final Pattern OOM = Pattern.compile("^\\[\\s*([0-9.]+)\\] oom-kill:.*");

  private KernelLog() {}

  /** Whether the OOM killer acted in {@code cgroupsPath} since {@code sinceUptime} seconds. */
  public static boolean oomKilledSince(String cgroupsPath, double sinceUptime) {
    try {
      var result = Command.run(List.of("dmesg"));
      if (!result.ok()) {
        return false;
      }
      String needle = "oom_memcg=" + cgroupsPath + ",";
      for (String line : result.stdout().lines().toList()) {
        Matcher matcher = OOM.matcher(line);
        if (matcher.matches()
            && line.contains(needle)
            && Double.parseDouble(matcher.group(1)) >= sinceUptime - 1) {
          return true;
        }
      }
      return false;
    } catch (IOException e) {
      return false;
    }
  }

  /** Seconds since boot, the clock of the kernel log's timestamps. */
  public static double uptime() {
    try {
      return Double.parseDouble(Files.readString(Path.of("/proc/uptime")).split("\\s+")[0]);
    } catch (IOException | RuntimeException e) {
      return 0;
    }
  }
}
