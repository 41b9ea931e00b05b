package dev.berth.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.testing.Exec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code berth train} as {@code bin/berth} runs it to record the start-up cache: it must succeed (a
 * failure leaves Berth without its cache, silently slower), run a real replica on this machine
 * (root, runc and busybox-static are here in CI), and leave nothing behind: no bridge, cgroups,
 * network namespaces, mounts, hosts-file lines or files of its own.
 */
class TrainCommandIT {

  @Test
  void trainingRunsAReplicaRecordsTheCacheAndLeavesNothingBehind(@TempDir Path dir)
      throws Exception {
    Path cache = dir.resolve("berth.aot");
    Path tmp = Files.createDirectory(dir.resolve("tmp"));
    String hostsBefore = Files.readString(Path.of("/etc/hosts"));

    // As bin/berth runs it: the packaged jar (a cache records jars, not class directories).
    Exec.Result training =
        Exec.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:AOTCacheOutput=" + cache,
                "-Xlog:aot=off",
                "-Xlog:cds=off",
                "-Djava.io.tmpdir=" + tmp,
                "--enable-native-access=ALL-UNNAMED",
                "-jar",
                Path.of("target/berth-server-0.1.0-SNAPSHOT.jar").toAbsolutePath().toString(),
                "train")
            .env("BERTH_HOSTS_FILE", "none")
            .timeout(Duration.ofMinutes(3))
            .run();

    assertThat(training.exit()).as("exit code; output:%n%s", training.output()).isZero();
    assertThat(training.output()).contains("trained:").contains("its replica");
    assertThat(cache).isNotEmptyFile();
    assertThat(
            Exec.of("ip", "link", "show", "btrain0").timeout(Duration.ofSeconds(30)).run().exit())
        .as("the training's bridge is gone")
        .isNotZero();
    assertThat(Exec.of("ip", "netns", "list").timeout(Duration.ofSeconds(30)).run().stdout())
        .doesNotContain("btrain");
    assertThat(Files.readString(Path.of("/proc/mounts"))).doesNotContain(tmp.toString());
    try (Stream<Path> hierarchies = Files.list(Path.of("/sys/fs/cgroup"))) {
      assertThat(hierarchies.map(h -> h.resolve("btrain"))).noneMatch(Files::exists);
    }
    assertThat(Files.readString(Path.of("/etc/hosts"))).isEqualTo(hostsBefore);
    try (Stream<Path> left = Files.list(tmp)) {
      assertThat(left).as("the training's own files").isEmpty();
    }
  }
}
