package dev.berth.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.berth.runtime.image.PulledImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bookkeeping half of the {@link ReplicaRuntime} contract: what {@code start}, {@code list},
 * {@code stop}, {@code onExit} and {@code onAddressAssigned} report, and what a new runtime over
 * the same state finds after the last one closed. Every runtime passes it, even one that runs
 * nothing (the reconciler's fake); {@link ReplicaRuntimeConformance} adds what a runtime that runs
 * processes must do, and a driver's test extends that one in a line. Each test gets a runtime of
 * its own from {@link #open()}; what it started is stopped after it.
 */
public abstract class ReplicaRuntimeStateConformance {

  /**
   * Opens a runtime over this test class's state. After the previous one was {@linkplain
   * ReplicaRuntime#close() closed}, the new one finds what still runs (it adopts it).
   */
  protected abstract ReplicaRuntime open() throws Exception;

  /** The image the test replicas run; see {@link ReplicaRuntimeConformance} for its contents. */
  protected abstract PulledImage image();

  /**
   * Ends a replica's process from outside the runtime (as {@code kill -9} or the OOM killer would)
   * and returns once it has ended.
   */
  protected abstract void killBehindTheRuntimesBack(String name) throws Exception;

  /** Asserts that the runtime left nothing of {@code name} behind (network, files, container). */
  protected abstract void assertNothingLeftOf(String name) throws Exception;

  @TempDir protected Path logs;
  protected ReplicaRuntime runtime;

  /** The last exit each replica reported through {@link ReplicaRuntime#onExit}. */
  protected final ConcurrentMap<String, ReplicaStatus> exits = new ConcurrentHashMap<>();

  @BeforeEach
  final void openRuntime() throws Exception {
    runtime = open();
    runtime.onExit(status -> exits.put(status.name(), status));
  }

  @AfterEach
  final void stopWhatTheTestStarted() {
    if (runtime != null) {
      runtime.list().forEach(status -> runtime.stop(status.name()));
      runtime.close();
    }
  }

  /** Closes the runtime and opens a new one over the same state, as a restarted Berth does. */
  protected final void reopen() throws Exception {
    runtime.close();
    runtime = open();
    runtime.onExit(status -> exits.put(status.name(), status));
  }

  /** A replica of the {@link #image()}: its own command or the image's, env {@code FOO=bar}. */
  protected final ReplicaSpec spec(String name, List<String> command, List<String> args) {
    return new ReplicaSpec(
        name,
        Map.of("app", "test"),
        image(),
        command,
        args,
        Map.of("FOO", "bar"),
        0.5,
        64L << 20,
        logs.resolve(name + ".log"),
        // busybox httpd as pid 1 ignores SIGTERM: a short grace keeps the tests fast.
        Duration.ofMillis(300));
  }

  /** A replica that runs {@code sh -c script}. */
  protected final ReplicaSpec shell(String name, String script) {
    return spec(name, List.of("sh", "-c"), List.of(script));
  }

  /** {@code spec} with other limits, env and grace. */
  protected static ReplicaSpec with(
      ReplicaSpec spec,
      Map<String, String> env,
      Set<String> secretEnv,
      double cpu,
      long memoryBytes,
      Duration stopGrace) {
    return new ReplicaSpec(
        spec.name(),
        spec.labels(),
        spec.image(),
        spec.command(),
        spec.args(),
        env,
        cpu,
        memoryBytes,
        spec.logFile(),
        stopGrace,
        secretEnv,
        spec.volumes());
  }

  /** What the replica wrote to its log so far. */
  protected final String log(String name) throws IOException {
    Path log = logs.resolve(name + ".log");
    return Files.exists(log) ? Files.readString(log) : "";
  }

  @Test
  void startReportsARunningReplicaWithItsAddressAndLabels() throws Exception {
    ReplicaStatus status = runtime.start(spec("web", List.of(), List.of()));

    assertThat(status.name()).isEqualTo("web");
    assertThat(status.state()).isEqualTo(ReplicaStatus.State.RUNNING);
    assertThat(status.address()).isNotBlank();
    assertThat(status.labels()).containsEntry("app", "test");
    assertThat(status.startedAt()).isNotNull();
    assertThat(status.exitCode()).isEmpty();
    assertThat(runtime.list())
        .singleElement()
        .satisfies(
            listed -> {
              assertThat(listed.name()).isEqualTo("web");
              assertThat(listed.address()).isEqualTo(status.address());
              assertThat(listed.state()).isEqualTo(ReplicaStatus.State.RUNNING);
            });
  }

  @Test
  void theAddressIsAnnouncedOnTheStartingThreadBeforeStartReturns() throws Exception {
    List<String> announced = new CopyOnWriteArrayList<>();
    Thread starter = Thread.currentThread();
    // The managed-identity endpoint must know the replica's address before its first request.
    runtime.onAddressAssigned(
        (name, address) ->
            announced.add(name + "=" + address + (Thread.currentThread() == starter ? "" : " !")));

    ReplicaStatus status = runtime.start(spec("known", List.of(), List.of()));

    assertThat(announced).containsExactly("known=" + status.address());
  }

  @Test
  void aNameInUseIsRefused() throws Exception {
    ReplicaStatus first = runtime.start(spec("twice", List.of(), List.of()));

    assertThatThrownBy(() -> runtime.start(spec("twice", List.of(), List.of())))
        .isInstanceOf(RuntimeFailure.class)
        .hasMessageContaining("twice");
    assertThat(runtime.list())
        .singleElement()
        .extracting(ReplicaStatus::address)
        .isEqualTo(first.address());
  }

  @Test
  void stopRemovesTheReplicaReportsNoExitAndMayBeRepeated() throws Exception {
    runtime.start(spec("gone", List.of(), List.of()));

    runtime.stop("gone");

    assertThat(runtime.list()).isEmpty();
    assertThat(exits).doesNotContainKey("gone");
    assertNothingLeftOf("gone");
    runtime.stop("gone");
    runtime.stop("never-started");
    assertThat(runtime.list()).isEmpty();
  }

  @Test
  void aReplicaThatEndsIsReportedAndListedAsExitedUntilStopped() throws Exception {
    runtime.start(spec("dies", List.of(), List.of()));

    killBehindTheRuntimesBack("dies");

    await().atMost(Duration.ofSeconds(10)).until(() -> exits.containsKey("dies"));
    assertThat(exits.get("dies").state()).isEqualTo(ReplicaStatus.State.EXITED);
    assertThat(runtime.list())
        .singleElement()
        .extracting(ReplicaStatus::state)
        .isEqualTo(ReplicaStatus.State.EXITED);
    runtime.stop("dies");
    assertThat(runtime.list()).isEmpty();
    assertNothingLeftOf("dies");
  }

  @Test
  void aNewRuntimeAdoptsWhatStillRunsAndForgetsWhatEndedWhileNoneWatched() throws Exception {
    ReplicaStatus adoptee = runtime.start(spec("adoptee", List.of(), List.of()));
    runtime.start(spec("crashed", List.of(), List.of()));
    runtime.close();
    killBehindTheRuntimesBack("crashed");

    reopen();

    assertThat(runtime.list())
        .singleElement()
        .satisfies(
            status -> {
              assertThat(status.name()).isEqualTo("adoptee");
              assertThat(status.state()).isEqualTo(ReplicaStatus.State.RUNNING);
              assertThat(status.address()).isEqualTo(adoptee.address());
              assertThat(status.labels()).containsEntry("app", "test");
            });
    assertThat(exits).as("a closed runtime reports nothing").doesNotContainKey("crashed");
    assertNothingLeftOf("crashed");
    // The new runtime watches what it adopted as it watches what it starts.
    killBehindTheRuntimesBack("adoptee");
    await().atMost(Duration.ofSeconds(10)).until(() -> exits.containsKey("adoptee"));
    runtime.stop("adoptee");
    assertThat(runtime.list()).isEmpty();
    assertNothingLeftOf("adoptee");
  }
}
