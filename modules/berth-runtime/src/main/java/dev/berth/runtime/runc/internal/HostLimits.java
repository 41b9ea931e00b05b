package dev.berth.runtime.runc.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The hard resource limits of this process. A container's rlimits may not exceed them: without
 * CAP_SYS_RESOURCE, runc fails with "error setting rlimits for ready process".
 */
public final class HostLimits {

  private HostLimits() {}

  /**
   * The hard limit named {@code label} in {@code /proc/self/limits} ("Max open files"), capped at
   * {@code wanted}; {@code wanted} when the file cannot be read or says "unlimited".
   */
  public static long capped(String label, long wanted) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/limits"))) {
        if (line.startsWith(label)) {
          String[] fields = line.substring(label.length()).trim().split("\\s+");
          return fields[1].equals("unlimited")
              ? wanted
              : Math.min(wanted, Long.parseLong(fields[1]));
        }
      }
    } catch (IOException | RuntimeException e) {
      return wanted;
    }
    return wanted;
  }
}
