package dev.berth.runtime.runc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.berth.runtime.ReplicaSpec;
import dev.berth.runtime.ReplicaStatus;
import dev.berth.runtime.RuntimeFailure;
import dev.berth.runtime.image.PulledImage;
import dev.berth.testing.Exec;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The runc runtime against the real runc, ip and overlayfs; needs root. */
class RuncRuntimeIT {

  private static final int SUFFIX = ThreadLocalRandom.current().nextInt(0x1000, 0xffff);
  private static final String PREFIX = "bt" + Integer.toHexString(SUFFIX);
  private static final String BRIDGE = PREFIX + "br";
  private static final String CIDR = "10.219." + (SUFFIX & 0xff) + ".0/24";

  @TempDir static Path dir;
  private static PulledImage image;
  private static RuncConfig config;
  private static RuncRuntime runtime;
  private final ConcurrentMap<String, ReplicaStatus> exits = new ConcurrentHashMap<>();
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  @BeforeAll
  static void openRuntime() throws Exception {
    if (!Files.readString(Path.of("/proc/self/status")).matches("(?s).*\\nUid:\\s+0\\s.*")) {
      throw new IllegalStateException("RuncRuntimeIT needs root (runc, netns, overlay mounts)");
    }
    image = BusyboxImage.build(dir.resolve("image"));
    config =
        RuncConfig.defaults(dir.resolve("state")).withNetwork(CIDR, BRIDGE).withNamePrefix(PREFIX);
    runtime = RuncRuntime.open(config);
  }

  @BeforeEach
  void listen() {
    runtime.onExit(status -> exits.put(status.name(), status));
  }

  @AfterEach
  void stopAll() {
    runtime.list().forEach(status -> runtime.stop(status.name()));
  }

  @AfterAll
  static void removeBridge() throws Exception {
    if (runtime != null) {
      runtime.list().forEach(status -> runtime.stop(status.name()));
      runtime.close();
    }
    Exec.of("ip", "link", "del", BRIDGE).timeout(Duration.ofSeconds(30)).run();
  }

  private ReplicaSpec spec(String name, List<String> command, List<String> args) {
    return new ReplicaSpec(
        name,
        Map.of("app", "test"),
        image,
        command,
        args,
        Map.of("FOO", "bar"),
        0.5,
        64L << 20,
        dir.resolve("logs").resolve(name + ".log"),
        // busybox httpd as pid 1 ignores SIGTERM: a short grace keeps the test fast.
        Duration.ofMillis(300));
  }

  private ReplicaSpec shell(String name, String script) {
    return spec(name, List.of("sh", "-c"), List.of(script));
  }

  private String log(String name) throws IOException {
    Path log = dir.resolve("logs").resolve(name + ".log");
    return Files.exists(log) ? Files.readString(log) : "";
  }

  private String get(String address) throws Exception {
    var response =
        http.send(
            HttpRequest.newBuilder(URI.create("http://" + address + ":8080/index.html"))
                .timeout(Duration.ofSeconds(2))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(200);
    return response.body();
  }

  private static String runc(String... args) throws Exception {
    List<String> command =
        new ArrayList<>(List.of("runc", "--root", dir.resolve("state/runc").toString()));
    command.addAll(List.of(args));
    return Exec.of(command).timeout(Duration.ofSeconds(30)).run().output();
  }

  @Test
  void theBundleIsPrivateAndSecretEnvLeavesItsConfigOnceTheProcessHasIt() throws Exception {
    List<String> announced = new java.util.concurrent.CopyOnWriteArrayList<>();
    runtime.onAddressAssigned((name, address) -> announced.add(name + "=" + address));
    ReplicaSpec base = spec("sec", List.of(), List.of());
    ReplicaSpec spec =
        new ReplicaSpec(
            base.name(),
            base.labels(),
            base.image(),
            base.command(),
            base.args(),
            Map.of("FOO", "bar", "DB_PASSWORD", "s3cr3t-db", "IDENTITY_HEADER", "h3ad3r"),
            base.cpu(),
            base.memoryBytes(),
            base.logFile(),
            base.stopGrace(),
            Set.of("DB_PASSWORD", "IDENTITY_HEADER"));

    ReplicaStatus status = runtime.start(spec);

    // The address was announced before start returned (and so before the process could ask).
    assertThat(announced).containsExactly("sec=" + status.address());
    Path bundle = dir.resolve("state/bundles/sec");
    assertThat(mode(bundle)).isEqualTo("rwx------");
    assertThat(mode(bundle.resolve("config.json"))).isEqualTo("rw-------");
    assertThat(mode(bundle.resolve("pid"))).isEqualTo("rw-------");
    assertThat(mode(dir.resolve("state/replicas/sec.json"))).isEqualTo("rw-------");
    assertThat(mode(dir.resolve("state/addresses.json"))).isEqualTo("rw-------");
    assertThat(mode(dir.resolve("logs/sec.log"))).isEqualTo("rw-------");
    String config = Files.readString(bundle.resolve("config.json"));
    assertThat(config).doesNotContain("s3cr3t-db").doesNotContain("h3ad3r").contains("FOO=bar");
    String state = runc("state", PREFIX + "-sec");
    long pid = Long.parseLong(state.replaceAll("(?s).*\"pid\": (\\d+).*", "$1"));
    String environ = Files.readString(Path.of("/proc/" + pid + "/environ")).replace('\0', '\n');
    assertThat(environ).contains("DB_PASSWORD=s3cr3t-db", "IDENTITY_HEADER=h3ad3r", "FOO=bar");
  }

  private static String mode(Path p) throws IOException {
    return java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
  }

  @Test
  void aReplicaServesHttpOnItsOwnAddress() throws Exception {
    ReplicaStatus status = runtime.start(spec("web", List.of(), List.of()));

    assertThat(status.state()).isEqualTo(ReplicaStatus.State.RUNNING);
    assertThat(status.address()).startsWith("10.219.");
    await()
        .atMost(Duration.ofSeconds(5))
        .untilAsserted(() -> assertThat(get(status.address())).isEqualTo(BusyboxImage.INDEX));
    String state = runc("state", PREFIX + "-web");
    long pid = Long.parseLong(state.replaceAll("(?s).*\"pid\": (\\d+).*", "$1"));
    assertThat(Path.of("/proc/" + pid)).exists();
    assertThat(runtime.list()).extracting(ReplicaStatus::name).containsExactly("web");
    assertThat(runtime.gatewayAddress().getHostAddress()).isEqualTo(CIDR.replace("0/24", "1"));
  }

  @Test
  void theEnvironmentAndArgumentsArrive() throws Exception {
    runtime.start(shell("env", "echo foo=$FOO host=$HOSTNAME path=$PATH; cat /etc/hosts"));

    await().atMost(Duration.ofSeconds(5)).until(() -> exits.containsKey("env"));
    assertThat(log("env")).contains("foo=bar host=env path=/bin").contains("\tenv");
    assertThat(exits.get("env").exitCode()).contains(0);
  }

  @Test
  void theExitCodeIsKept() throws Exception {
    runtime.start(shell("three", "sleep 0.2; exit 3"));

    await().atMost(Duration.ofSeconds(5)).until(() -> exits.containsKey("three"));
    assertThat(exits.get("three").exitCode()).contains(3);
    assertThat(exits.get("three").oomKilled()).isFalse();
    assertThat(runtime.list())
        .singleElement()
        .extracting(ReplicaStatus::state)
        .isEqualTo(ReplicaStatus.State.EXITED);
  }

  @Test
  void aReplicaOverItsMemoryLimitIsOomKilled() throws Exception {
    ReplicaSpec spec = shell("hog", "dd if=/dev/zero of=/dev/null bs=64M count=1");
    spec =
        new ReplicaSpec(
            spec.name(),
            spec.labels(),
            spec.image(),
            spec.command(),
            spec.args(),
            spec.env(),
            0,
            32L << 20,
            spec.logFile(),
            spec.stopGrace());

    runtime.start(spec);

    await().atMost(Duration.ofSeconds(10)).until(() -> exits.containsKey("hog"));
    assertThat(exits.get("hog").oomKilled()).isTrue();
    assertThat(exits.get("hog").exitCode()).contains(137);
  }

  @Test
  void stopSendsTermAndTheReplicaMayExitGracefully() throws Exception {
    runtime.start(
        shell(
            "polite",
            "trap 'echo got TERM; exit 0' TERM; echo ready; while :; do sleep 0.1; done"));
    await().atMost(Duration.ofSeconds(5)).until(() -> log("polite").contains("ready"));

    long started = System.nanoTime();
    runtime.stop("polite");

    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(3));
    assertThat(log("polite")).contains("got TERM");
    assertThat(runtime.list()).isEmpty();
    assertThat(exits).doesNotContainKey("polite");
    assertThat(runc("list")).doesNotContain(PREFIX + "-polite");
    assertThat(Path.of("/run/netns", PREFIX + "-polite")).doesNotExist();
  }

  @Test
  void stopKillsAReplicaThatIgnoresTermAfterTheGrace() throws Exception {
    ReplicaSpec spec = shell("stubborn", "trap '' TERM; echo ready; while :; do sleep 0.1; done");
    spec =
        new ReplicaSpec(
            spec.name(),
            spec.labels(),
            spec.image(),
            spec.command(),
            spec.args(),
            spec.env(),
            0,
            0,
            spec.logFile(),
            Duration.ofMillis(500));
    runtime.start(spec);
    await().atMost(Duration.ofSeconds(5)).until(() -> log("stubborn").contains("ready"));

    long started = System.nanoTime();
    runtime.stop("stubborn");

    assertThat(Duration.ofNanos(System.nanoTime() - started))
        .isBetween(Duration.ofMillis(500), Duration.ofSeconds(3));
    assertThat(runtime.list()).isEmpty();
    runtime.stop("stubborn"); // idempotent
  }

  @Test
  void aNewRuntimeAdoptsRunningReplicasAndCleansUpTheRest() throws Exception {
    ReplicaStatus web = runtime.start(spec("adoptee", List.of(), List.of()));
    runtime.start(shell("crashed", "sleep 1000"));
    runtime.close();
    // The container dies while no runtime watches: only its record, mount and netns remain.
    runc("kill", PREFIX + "-crashed", "KILL");
    await().atMost(Duration.ofSeconds(5)).until(() -> !runc("list").contains(PREFIX + "-crashed"));

    runtime = RuncRuntime.open(config);
    runtime.onExit(status -> exits.put(status.name(), status));

    assertThat(runtime.list())
        .singleElement()
        .satisfies(
            status -> {
              assertThat(status.name()).isEqualTo("adoptee");
              assertThat(status.address()).isEqualTo(web.address());
              assertThat(status.labels()).containsEntry("app", "test");
            });
    assertThat(Path.of("/run/netns", PREFIX + "-crashed")).doesNotExist();
    assertThat(dir.resolve("state/bundles/crashed")).doesNotExist();
    assertThat(get(web.address())).isEqualTo(BusyboxImage.INDEX);

    runc("kill", PREFIX + "-adoptee", "KILL");
    await().atMost(Duration.ofSeconds(5)).until(() -> exits.containsKey("adoptee"));
    assertThat(exits.get("adoptee").exitCode()).isEmpty();
    runtime.stop("adoptee");
    assertThat(runtime.list()).isEmpty();
    assertThat(Path.of("/run/netns", PREFIX + "-adoptee")).doesNotExist();
  }

  @Test
  void tenReplicasAtOnceGetDistinctAddresses() throws Exception {
    List<Future<ReplicaStatus>> starts = new ArrayList<>();
    try (var executor = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int i = 0; i < 10; i++) {
        String name = "many-" + i;
        starts.add(executor.submit(() -> runtime.start(spec(name, List.of(), List.of()))));
      }
    }
    Set<String> addresses = new HashSet<>();
    for (Future<ReplicaStatus> start : starts) {
      addresses.add(start.get().address());
    }

    assertThat(addresses).hasSize(10);
    for (String address : addresses) {
      await()
          .atMost(Duration.ofSeconds(5))
          .untilAsserted(() -> assertThat(get(address)).isEqualTo(BusyboxImage.INDEX));
    }
  }

  @Test
  void aProgramThatDoesNotExistFailsTheStartAndLeavesNothing() {
    assertThatThrownBy(() -> runtime.start(spec("missing", List.of("/bin/nope"), List.of())))
        .isInstanceOf(RuntimeFailure.class)
        .hasMessageContaining("cannot start replica missing")
        .hasMessageContaining("/bin/nope");
    assertThat(runtime.list()).isEmpty();
    assertThat(Path.of("/run/netns", PREFIX + "-missing")).doesNotExist();
    assertThat(dir.resolve("state/bundles/missing")).doesNotExist();
  }

  @Test
  void aMissingRuncIsNamed() {
    assertThatThrownBy(() -> RuncRuntime.open(config.withRuncBinary("/nonexistent/runc")))
        .isInstanceOf(RuntimeFailure.class)
        .hasMessageContaining("runc was not found on PATH: install the runc package");
  }
}
