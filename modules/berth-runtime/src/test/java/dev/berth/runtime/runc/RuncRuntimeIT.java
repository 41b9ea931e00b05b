package dev.berth.runtime.runc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.berth.runtime.BusyboxImage;
import dev.berth.runtime.ReplicaRuntime;
import dev.berth.runtime.ReplicaRuntimeConformance;
import dev.berth.runtime.ReplicaSpec;
import dev.berth.runtime.ReplicaStatus;
import dev.berth.runtime.ReplicaVolume;
import dev.berth.runtime.RuntimeFailure;
import dev.berth.runtime.image.PulledImage;
import dev.berth.testing.Exec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The runc runtime against the real runc, ip and overlayfs (needs root): the {@link
 * ReplicaRuntimeConformance} suite, and what only runc does — the private bundle whose {@code
 * config.json} loses the secrets once the process has them, the host name, the bridge.
 */
class RuncRuntimeIT extends ReplicaRuntimeConformance {

  private static final int SUFFIX = ThreadLocalRandom.current().nextInt(0x1000, 0xffff);
  private static final String PREFIX = "bt" + Integer.toHexString(SUFFIX);
  private static final String BRIDGE = PREFIX + "br";
  private static final String CIDR = "10.219." + (SUFFIX & 0xff) + ".0/24";

  @TempDir static Path dir;
  private static PulledImage image;
  private static RuncConfig config;

  @BeforeAll
  static void buildImage() throws Exception {
    if (!Files.readString(Path.of("/proc/self/status")).matches("(?s).*\\nUid:\\s+0\\s.*")) {
      throw new IllegalStateException("RuncRuntimeIT needs root (runc, netns, overlay mounts)");
    }
    image = BusyboxImage.build(dir.resolve("image"));
    config =
        RuncConfig.defaults(dir.resolve("state")).withNetwork(CIDR, BRIDGE).withNamePrefix(PREFIX);
  }

  @AfterAll
  static void removeBridge() throws Exception {
    Exec.of("ip", "link", "del", BRIDGE).timeout(Duration.ofSeconds(30)).run();
  }

  @Override
  protected ReplicaRuntime open() throws RuntimeFailure {
    return RuncRuntime.open(config);
  }

  @Override
  protected PulledImage image() {
    return image;
  }

  @Override
  protected void killBehindTheRuntimesBack(String name) throws Exception {
    runc("kill", PREFIX + "-" + name, "KILL");
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> !runc("list").contains(PREFIX + "-" + name + " "));
  }

  @Override
  protected void assertNothingLeftOf(String name) throws Exception {
    assertThat(runc("list")).doesNotContain(PREFIX + "-" + name + " ");
    assertThat(Path.of("/run/netns", PREFIX + "-" + name)).doesNotExist();
    assertThat(dir.resolve("state/bundles").resolve(name)).doesNotExist();
    assertThat(dir.resolve("state/replicas").resolve(name + ".json")).doesNotExist();
  }

  private static String runc(String... args) throws Exception {
    List<String> command =
        new ArrayList<>(List.of("runc", "--root", dir.resolve("state/runc").toString()));
    command.addAll(List.of(args));
    return Exec.of(command).timeout(Duration.ofSeconds(30)).run().output();
  }

  private static long pid(String name) throws Exception {
    String state = runc("state", PREFIX + "-" + name);
    return Long.parseLong(state.replaceAll("(?s).*\"pid\": (\\d+).*", "$1"));
  }

  private static String mode(Path p) throws IOException {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
  }

  @Test
  void theBundleIsPrivateAndSecretEnvLeavesItsConfigOnceTheProcessHasIt() throws Exception {
    ReplicaSpec base = spec("sec", List.of(), List.of());
    ReplicaSpec spec =
        with(
            base,
            Map.of("FOO", "bar", "DB_PASSWORD", "s3cr3t-db", "IDENTITY_HEADER", "h3ad3r"),
            Set.of("DB_PASSWORD", "IDENTITY_HEADER"),
            base.cpu(),
            base.memoryBytes(),
            base.stopGrace());

    runtime.start(spec);

    Path bundle = dir.resolve("state/bundles/sec");
    assertThat(mode(bundle)).isEqualTo("rwx------");
    assertThat(mode(bundle.resolve("config.json"))).isEqualTo("rw-------");
    assertThat(mode(bundle.resolve("pid"))).isEqualTo("rw-------");
    assertThat(mode(dir.resolve("state/replicas/sec.json"))).isEqualTo("rw-------");
    assertThat(mode(dir.resolve("state/addresses.json"))).isEqualTo("rw-------");
    assertThat(mode(logs.resolve("sec.log"))).isEqualTo("rw-------");
    String config = Files.readString(bundle.resolve("config.json"));
    assertThat(config).doesNotContain("s3cr3t-db").doesNotContain("h3ad3r").contains("FOO=bar");
    String environ = Files.readString(Path.of("/proc/" + pid("sec") + "/environ"));
    assertThat(environ.replace('\0', '\n'))
        .contains("DB_PASSWORD=s3cr3t-db", "IDENTITY_HEADER=h3ad3r", "FOO=bar");
  }

  @Test
  void volumesAreAFolderTheAppWritesAndSecretsAsReadOnlyFilesKeptInMemory() throws Exception {
    ReplicaSpec base =
        shell(
            "vol",
            "echo kept > /scratch/note; cat /scratch/note; ls -d /scratch/a; touch /half/b; ls /scratch/a;"
                + " cat /mnt/creds/password; echo; echo x 2>/dev/null > /mnt/creds/password"
                + " || echo creds-read-only; echo done; sleep 30");
    ReplicaSpec spec =
        new ReplicaSpec(
            base.name(),
            base.labels(),
            base.image(),
            base.command(),
            base.args(),
            base.env(),
            base.cpu(),
            base.memoryBytes(),
            base.logFile(),
            base.stopGrace(),
            Set.of(),
            List.of(
                ReplicaVolume.emptyDir(
                    "scratch",
                    List.of(
                        new ReplicaVolume.Mount("/scratch", ""),
                        new ReplicaVolume.Mount("/half", "a"))),
                ReplicaVolume.secret(
                    "creds",
                    Map.of("password", "s3cr3t-file"),
                    List.of(new ReplicaVolume.Mount("/mnt/creds", "")))));

    runtime.start(spec);

    await().atMost(Duration.ofSeconds(10)).until(() -> log("vol").contains("done"));
    assertThat(log("vol"))
        .contains("kept\n", "/scratch/a\nb\n", "s3cr3t-file\n", "creds-read-only\n");
    Path bundle = dir.resolve("state/bundles/vol");
    assertThat(Files.readString(bundle.resolve("config.json"))).doesNotContain("s3cr3t-file");
    // The secret is in memory only: its folder is a tmpfs of its own, gone with the replica.
    String secrets = bundle.resolve("secrets/1").toString(); // the second volume
    assertThat(Files.readString(Path.of("/proc/self/mountinfo")))
        .containsPattern(" " + secrets + " .* - tmpfs ");

    runtime.stop("vol");

    assertNothingLeftOf("vol");
    assertThat(Files.readString(Path.of("/proc/self/mountinfo"))).doesNotContain(secrets);
  }

  @Test
  void aReplicaIsNamedForItselfAndSitsOnTheBridgesSubnet() throws Exception {
    ReplicaStatus status = runtime.start(shell("named", "echo host=$HOSTNAME; cat /etc/hosts"));

    await().atMost(Duration.ofSeconds(10)).until(() -> exits.containsKey("named"));
    assertThat(log("named")).contains("host=named").contains("\tnamed");
    assertThat(status.address()).startsWith(CIDR.replace("0/24", ""));
    assertThat(((RuncRuntime) runtime).gatewayAddress().getHostAddress())
        .isEqualTo(CIDR.replace("0/24", "1"));
  }

  @Test
  void aReplicasKernelResetsConnectionsItsAcceptQueueCannotHold() throws Exception {
    runtime.start(
        shell(
            "abort",
            "echo abort=$(cat /proc/sys/net/ipv4/tcp_abort_on_overflow)"
                + " cookies=$(cat /proc/sys/net/ipv4/tcp_syncookies)"));

    await().atMost(Duration.ofSeconds(10)).until(() -> exits.containsKey("abort"));
    assertThat(log("abort")).contains("abort=1 cookies=0");
  }

  @Test
  void aMissingRuncIsNamed() {
    assertThatThrownBy(() -> RuncRuntime.open(config.withRuncBinary("/nonexistent/runc")))
        .isInstanceOf(RuntimeFailure.class)
        .hasMessageContaining("runc was not found on PATH: install the runc package");
  }
}
