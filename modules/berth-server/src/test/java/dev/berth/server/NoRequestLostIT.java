package dev.berth.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.autoscaler.ScaleOverrides;
import dev.berth.registry.testing.OciLayouts;
import dev.berth.testing.Exec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * No request is lost while replicas change under load, on real runc: 10 000 requests (bounded, over
 * loopback) while a new revision replaces the old one in Single mode, while a revision scales from
 * zero to several replicas and back, and while one replica is killed — none fails.
 */
class NoRequestLostIT {

  private static final int REQUESTS = 10_000;
  private static final ObjectMapper JSON = new ObjectMapper();

  @RegisterExtension
  static final RunningBerth BERTH =
      RunningBerth.withReplicas("10.214.7.0/24", "nrl")
          .withIngress()
          .withScale(
              new ScaleOverrides(
                  Optional.of(Duration.ofSeconds(2)),
                  Optional.of(Duration.ofSeconds(1)),
                  Optional.of(Duration.ofSeconds(4))));

  static RegistryFixture fx;
  static AppFixture apps;
  static String environment;
  static String domain;
  static String loginServer;
  static String password;
  static HttpClient client;

  @BeforeAll
  static void pushAnImage() throws Exception {
    Preconditions.requireRootAndTools("runc", "ip", "skopeo");
    fx = new RegistryFixture(BERTH);
    apps = new AppFixture(fx);
    String registryId = fx.createRegistry("steady", "steadyacr", "{\"adminUserEnabled\":true}");
    loginServer = fx.loginServer(registryId);
    password = fx.adminPassword(registryId);
    Path layout = Files.createTempDirectory(BERTH.dataDir(), "image");
    OciLayouts.busybox(
        layout,
        "v1",
        List.of(OciLayouts.File.of("www/index.html", "steady\n")),
        List.of("httpd", "-f", "-p", "8080", "-h", "/www"));
    var pushed = fx.push(layout, loginServer, "steadyacr:" + password, "web:v1");
    assertThat(pushed.exit()).as(pushed.output()).isZero();
    environment = apps.createEnvironment("steady", "env");
    domain = apps.get(environment).at("/properties/defaultDomain").asText();
    client = new HttpClient();
    client.setMaxConnectionsPerDestination(64);
    client.setFollowRedirects(false);
    client.start();
  }

  @AfterAll
  static void stopClient() throws Exception {
    if (client != null) {
      client.stop();
    }
  }

  static String app(String name) {
    return fx.group("steady") + "/providers/Microsoft.App/containerApps/" + name;
  }

  static JsonNode deploy(String name, int min, int max, int perReplica, String version)
      throws Exception {
    String body =
        """
        {"location":"local",
         "properties":{"environmentId":"%s",
           "configuration":{"activeRevisionsMode":"Single",
             "secrets":[{"name":"acr-pw","value":"%s"}],
             "registries":[{"server":"%s","username":"steadyacr","passwordSecretRef":"acr-pw"}],
             "ingress":{"external":true,"targetPort":8080,"allowInsecure":true}},
           "template":{"terminationGracePeriodSeconds":2,"containers":[{"name":"web",
             "image":"%s/web:v1","env":[{"name":"VERSION","value":"%s"}],
             "resources":{"cpu":0.25,"memory":"0.5Gi"}}],
             "scale":{"minReplicas":%d,"maxReplicas":%d,"rules":[{"name":"http",
               "http":{"metadata":{"concurrentRequests":"%d"}}}]}}}}
        """
            .formatted(
                environment, password, loginServer, loginServer, version, min, max, perReplica);
    JsonNode op = apps.putApp(app(name), body);
    assertThat(op.path("status").asText()).as(op.toString()).isEqualTo("Succeeded");
    return apps.get(app(name));
  }

  /** Sends requests from {@code clients} loops until {@code total} are answered or failed. */
  static final class Load implements AutoCloseable {
    final AtomicInteger sent = new AtomicInteger();
    final AtomicInteger ok = new AtomicInteger();
    final Queue<String> failures = new ConcurrentLinkedQueue<>();
    private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
    private final List<Future<?>> loops = new ArrayList<>();

    Load(String appName, int clients, int total) {
      for (int i = 0; i < clients; i++) {
        loops.add(
            threads.submit(
                () -> {
                  while (sent.incrementAndGet() <= total) {
                    try {
                      ContentResponse r =
                          client
                              .newRequest(
                                  "http://127.0.0.1:" + BERTH.server().ingressHttpPort() + "/")
                              .headers(h -> h.put("Host", appName + "." + domain))
                              .timeout(60, TimeUnit.SECONDS)
                              .send();
                      if (r.getStatus() == 200 && r.getContentAsString().equals("steady\n")) {
                        ok.incrementAndGet();
                      } else {
                        failures.add(r.getStatus() + " " + r.getContentAsString().strip());
                      }
                    } catch (Exception e) {
                      failures.add(e.toString());
                    }
                  }
                }));
      }
    }

    int answered() {
      return ok.get() + failures.size();
    }

    void awaitAnswered(int count) {
      await()
          .atMost(Duration.ofMinutes(3))
          .pollInterval(Duration.ofMillis(20))
          .until(() -> answered() >= count);
    }

    @Override
    public void close() throws Exception {
      for (Future<?> loop : loops) {
        loop.get(5, TimeUnit.MINUTES);
      }
      threads.close();
    }
  }

  static int replicas(String appName) throws Exception {
    int count = 0;
    for (JsonNode r : apps.revisions(app(appName))) {
      count += apps.replicas(r.path("id").asText()).size();
    }
    return count;
  }

  @Test
  void aSingleModeUpdateLosesNoRequest() throws Exception {
    deploy("swap", 1, 2, 50, "1");
    try (Load load = new Load("swap", 8, REQUESTS)) {
      load.awaitAnswered(2_000);
      JsonNode updated = deploy("swap", 1, 2, 50, "2");
      assertThat(updated.at("/properties/latestRevisionName").asText()).isNotBlank();
      load.close();
      assertThat(load.failures).as("failed requests").isEmpty();
      assertThat(load.ok.get()).isEqualTo(REQUESTS);
    }
    assertThat(apps.revisions(app("swap")))
        .filteredOn(r -> r.at("/properties/active").asBoolean())
        .hasSize(1);
  }

  @Test
  void scalingFromZeroToSeveralReplicasAndBackLosesNoRequest() throws Exception {
    deploy("wave", 0, 3, 2, "1");
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(250))
        .until(() -> replicas("wave") == 0);
    int most = 0;
    try (Load burst = new Load("wave", 8, REQUESTS * 6 / 10)) {
      while (burst.answered() < REQUESTS * 6 / 10) {
        most = Math.max(most, replicas("wave"));
        Thread.sleep(200);
      }
      burst.close();
      assertThat(burst.failures).as("failed requests while scaling up").isEmpty();
    }
    assertThat(most).as("replicas at the peak").isGreaterThan(1);
    // One client at a time: the replicas go back down to one while it runs.
    try (Load trickle = new Load("wave", 1, REQUESTS * 4 / 10)) {
      trickle.close();
      assertThat(trickle.failures).as("failed requests while scaling down").isEmpty();
    }
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(250))
        .until(() -> replicas("wave") == 0);
  }

  @Test
  void killingOneReplicaLosesNoRequest() throws Exception {
    deploy("kill", 2, 2, 50, "1");
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(250))
        .until(() -> replicas("kill") == 2);
    String revision = apps.get(app("kill")).at("/properties/latestRevisionName").asText();
    String victim =
        apps.replicas(app("kill") + "/revisions/" + revision).path(0).path("name").asText();
    try (Load load = new Load("kill", 8, REQUESTS)) {
      load.awaitAnswered(3_000);
      killByPid(victim);
      load.close();
      assertThat(load.failures).as("failed requests").isEmpty();
      assertThat(load.ok.get()).isEqualTo(REQUESTS);
    }
  }

  /**
   * Kills the replica's process with SIGKILL, by the PID runc reports for it (runc's container id
   * is the replica's name under the runtime's prefix).
   */
  static void killByPid(String replica) throws Exception {
    Path runcRoot = BERTH.dataDir().resolve("runtime").resolve("runc");
    var state =
        Exec.of("runc", "--root", runcRoot.toString(), "state", "nrl-" + replica)
            .timeout(Duration.ofSeconds(10))
            .run()
            .requireSuccess();
    long pid = JSON.readTree(state.stdout()).path("pid").asLong();
    assertThat(pid).as(state.stdout()).isPositive();
    Exec.of("kill", "-KILL", Long.toString(pid)).timeout(Duration.ofSeconds(10)).run();
  }
}
