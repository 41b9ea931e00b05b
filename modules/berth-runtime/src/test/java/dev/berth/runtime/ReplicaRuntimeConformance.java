package dev.berth.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * The one conformance suite of {@link ReplicaRuntime}: a driver's test (runc, Kubernetes) extends
 * this class in a line and implements the hooks of {@link ReplicaRuntimeStateConformance}, whose
 * bookkeeping tests it inherits. This part proves what the replicas' processes get: the image's
 * program or the spec's, the env and the secret env, the log file, the limits, an address the host
 * reaches (where the probes and the ingress go), and the stop signals. {@link #image()} must be
 * like {@link BusyboxImage}: its default process serves {@link BusyboxImage#INDEX} at {@code
 * :8080/index.html}, its {@code PATH} is {@code /bin}, and it has busybox's {@code sh}, {@code
 * sleep}, {@code cat} and {@code dd}.
 */
public abstract class ReplicaRuntimeConformance extends ReplicaRuntimeStateConformance {

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  /** The replica's web server's answer at {@code address}, once it answers 200. */
  protected final String served(String address) {
    String[] body = new String[1];
    await()
        .atMost(Duration.ofSeconds(10))
        .ignoreExceptions()
        .untilAsserted(
            () -> {
              HttpResponse<String> response =
                  http.send(
                      HttpRequest.newBuilder(URI.create("http://" + address + ":8080/index.html"))
                          .timeout(Duration.ofSeconds(2))
                          .build(),
                      HttpResponse.BodyHandlers.ofString());
              assertThat(response.statusCode()).isEqualTo(200);
              body[0] = response.body();
            });
    return body[0];
  }

  @Test
  void theImagesProgramServesOnTheReplicasAddress() throws Exception {
    ReplicaStatus status = runtime.start(spec("web", List.of(), List.of()));

    assertThat(served(status.address())).isEqualTo(BusyboxImage.INDEX);
  }

  @Test
  void tenReplicasStartedAtOnceGetDistinctAddressesAndAllServe() throws Exception {
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
      assertThat(served(address)).isEqualTo(BusyboxImage.INDEX);
    }
  }

  @Test
  void anAdoptedReplicaKeepsServing() throws Exception {
    ReplicaStatus status = runtime.start(spec("steady", List.of(), List.of()));
    served(status.address());

    reopen();

    assertThat(served(status.address())).isEqualTo(BusyboxImage.INDEX);
  }

  @Test
  void theCommandAndArgsReplaceTheImagesAndTheEnvIsAddedToTheImages() throws Exception {
    runtime.start(shell("env", "echo foo=$FOO path=$PATH"));

    await().atMost(Duration.ofSeconds(10)).until(() -> exits.containsKey("env"));
    assertThat(log("env")).contains("foo=bar path=/bin");
    assertThat(exits.get("env").exitCode()).contains(0);
  }

  @Test
  void secretEnvReachesTheProcess() throws Exception {
    ReplicaSpec spec =
        with(
            shell("sec", "[ \"$DB_PASSWORD$IDENTITY_HEADER\" = s3cr3th3ad3r ] && echo secrets ok"),
            Map.of("FOO", "bar", "DB_PASSWORD", "s3cr3t", "IDENTITY_HEADER", "h3ad3r"),
            Set.of("DB_PASSWORD", "IDENTITY_HEADER"),
            0.5,
            64L << 20,
            Duration.ofMillis(300));

    runtime.start(spec);

    await().atMost(Duration.ofSeconds(10)).until(() -> exits.containsKey("sec"));
    assertThat(log("sec")).contains("secrets ok");
  }

  @Test
  void stdoutAndStderrAreAppendedToTheLogFile() throws Exception {
    runtime.start(shell("talk", "echo out-1; echo err-1 >&2"));
    await().atMost(Duration.ofSeconds(10)).until(() -> exits.containsKey("talk"));
    runtime.stop("talk");
    exits.clear();

    runtime.start(shell("talk", "echo out-2"));
    await().atMost(Duration.ofSeconds(10)).until(() -> exits.containsKey("talk"));

    // stdout and stderr are two streams: their order within one run is not kept.
    assertThat(log("talk"))
        .containsSubsequence("out-1", "out-2")
        .containsSubsequence("err-1", "out-2");
  }

  @Test
  void theExitCodeIsKept() throws Exception {
    runtime.start(shell("three", "sleep 0.2; exit 3"));

    await().atMost(Duration.ofSeconds(10)).until(() -> exits.containsKey("three"));
    assertThat(exits.get("three").exitCode()).contains(3);
    assertThat(exits.get("three").oomKilled()).isFalse();
  }

  @Test
  void aReplicaOverItsMemoryLimitIsOomKilled() throws Exception {
    ReplicaSpec spec = shell("hog", "dd if=/dev/zero of=/dev/null bs=64M count=1");

    runtime.start(with(spec, spec.env(), Set.of(), 0, 32L << 20, spec.stopGrace()));

    await().atMost(Duration.ofSeconds(10)).until(() -> exits.containsKey("hog"));
    assertThat(exits.get("hog").oomKilled()).isTrue();
    assertThat(exits.get("hog").exitCode()).contains(137);
  }

  @Test
  void aReplicaSeesItsCpuLimitAsTheJvmAndGoReadIt() throws Exception {
    // cgroup v2 shows "quota period" in cpu.max; v1 shows the quota and the period apart.
    runtime.start(
        shell(
            "cpu",
            "cat /sys/fs/cgroup/cpu.max 2>/dev/null"
                + " || echo $(cat /sys/fs/cgroup/cpu/cpu.cfs_quota_us)"
                + " $(cat /sys/fs/cgroup/cpu/cpu.cfs_period_us)"));

    await().atMost(Duration.ofSeconds(10)).until(() -> exits.containsKey("cpu"));
    // spec(): half a core.
    assertThat(log("cpu")).contains("50000 100000");
  }

  @Test
  void stopSendsTermAndTheReplicaMayExitGracefully() throws Exception {
    runtime.start(
        shell(
            "polite",
            "trap 'echo got TERM; exit 0' TERM; echo ready; while :; do sleep 0.1; done"));
    await().atMost(Duration.ofSeconds(10)).until(() -> log("polite").contains("ready"));

    runtime.stop("polite");

    assertThat(log("polite")).contains("got TERM");
    assertThat(runtime.list()).isEmpty();
    assertThat(exits).doesNotContainKey("polite");
    assertNothingLeftOf("polite");
  }

  @Test
  void stopKillsAReplicaThatIgnoresTermOnceItsGraceIsOver() throws Exception {
    ReplicaSpec spec = shell("stubborn", "trap '' TERM; echo ready; while :; do sleep 0.1; done");
    runtime.start(with(spec, spec.env(), Set.of(), 0, 0, Duration.ofMillis(500)));
    await().atMost(Duration.ofSeconds(10)).until(() -> log("stubborn").contains("ready"));

    long started = System.nanoTime();
    runtime.stop("stubborn");

    // The grace is the behaviour: no KILL before it is over. The upper bound only bounds a hang.
    assertThat(Duration.ofNanos(System.nanoTime() - started))
        .isBetween(Duration.ofMillis(500), Duration.ofSeconds(10));
    assertThat(runtime.list()).isEmpty();
    assertNothingLeftOf("stubborn");
  }

  @Test
  void aProgramThatDoesNotExistFailsTheStartNamingItAndLeavesNothing() throws Exception {
    assertThatThrownBy(() -> runtime.start(spec("missing", List.of("/bin/nope"), List.of())))
        .isInstanceOf(RuntimeFailure.class)
        .hasMessageContaining("missing")
        .hasMessageContaining("/bin/nope");
    assertThat(runtime.list()).isEmpty();
    assertNothingLeftOf("missing");
  }
}
