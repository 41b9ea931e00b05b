package dev.berth.server;

import dev.berth.testing.Exec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Integration tests that need root or host tools fail, never skip, when they are missing: the
 * message names what to install.
 */
final class Preconditions {

  private Preconditions() {}

  static void requireRootAndTools(String... tools) throws Exception {
    String uid =
        Exec.of("id", "-u").timeout(Duration.ofSeconds(10)).run().requireSuccess().stdout().strip();
    if (!"0".equals(uid)) {
      throw new IllegalStateException("this test runs replicas and needs root (uid 0), not " + uid);
    }
    for (String tool : tools) {
      if (!onPath(tool)) {
        throw new IllegalStateException(
            tool + " was not found on PATH: install it (.ci/run installs what the tests need)");
      }
    }
  }

  private static boolean onPath(String tool) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
      if (Files.isExecutable(Path.of(dir, tool))) {
        return true;
      }
    }
    return Files.isExecutable(Path.of("/usr/sbin", tool))
        || Files.isExecutable(Path.of("/sbin", tool));
  }
}
