package dev.berth.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.registry.testing.OciLayouts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 of Berth in the middle of container app deploys, replicas and all: a create killed right
 * after its 201 (the case that once stayed InProgress for good), an update killed at a random point
 * and a delete killed right after its 202. After each restart the operation ends Succeeded and the
 * app is served by exactly its replicas within 10 s of Berth being ready. Needs root, runc, ip and
 * skopeo; run it under {@code flock /tmp/berth-runc-it.lock}.
 */
@Timeout(600)
class DeployCrashIT {

  static final String PREFIX = "bks";
  static final Duration SERVING_WITHIN = Duration.ofSeconds(10);

  @TempDir Path dataDir;
  private int port;
  private final List<Long> servedMillis = new ArrayList<>();

  private BerthProcess start() throws Exception {
    return BerthProcess.start(
        List.of(
            "up",
            "--data-dir",
            dataDir.toString(),
            "--port",
            Integer.toString(port),
            "--runtime",
            "runc",
            "--replica-network",
            "10.214.9.0/24"),
        Map.of("BERTH_REPLICA_PREFIX", PREFIX));
  }

  @Test
  void deploysKilledMidwayEndAndServeWithinTenSecondsOfTheRestart() throws Exception {
    Preconditions.requireRootAndTools("runc", "ip", "skopeo");
    port = BerthProcess.freePort();
    BerthProcess berth = start();
    try {
      AppFixture apps = RestartIT.fixture(dataDir);
      RegistryFixture fx = apps.registry;
      String registry = fx.createRegistry("deploy", "deployacr", "{\"adminUserEnabled\":true}");
      String server = fx.loginServer(registry);
      String password = fx.adminPassword(registry);
      for (String version : List.of("v1", "v2")) {
        Path layout = Files.createTempDirectory(dataDir, "image");
        OciLayouts.busybox(
            layout,
            "v1",
            List.of(OciLayouts.File.of("www/index.html", version + "\n")),
            List.of("httpd", "-f", "-p", "8080", "-h", "/www"));
        var push = fx.push(layout, server, "deployacr:" + password, "api:" + version);
        assertThat(push.exit()).as(push.output()).isZero();
      }
      String environment = apps.createEnvironment("deploy", "env");
      String app = fx.group("deploy") + "/providers/Microsoft.App/containerApps/api";

      // 1. A create killed right after its 201.
      var create =
          apps.https.send(
              "PUT",
              app + AppFixture.APP_API,
              apps.owner,
              body(environment, server, password, "v1"));
      assertThat(create.statusCode()).as(create.body()).isEqualTo(201);
      String createOp =
          operation(create.headers().firstValue("Azure-AsyncOperation").orElseThrow());
      berth.kill();
      berth = start();
      long ready = System.nanoTime();
      apps = RestartIT.fixture(dataDir);
      awaitServed(apps, app, "v1\n", ready);
      awaitSucceeded(apps, createOp);

      // 2. An update (a new revision) killed at a random point of its deploy.
      var update =
          apps.https.send(
              "PUT",
              app + AppFixture.APP_API,
              apps.owner,
              body(environment, server, password, "v2"));
      assertThat(update.statusCode()).as(update.body()).isEqualTo(200);
      String updateOp =
          operation(update.headers().firstValue("Azure-AsyncOperation").orElseThrow());
      Thread.sleep(ThreadLocalRandom.current().nextInt(1500));
      berth.kill();
      berth = start();
      ready = System.nanoTime();
      apps = RestartIT.fixture(dataDir);
      awaitServed(apps, app, "v2\n", ready);
      awaitSucceeded(apps, updateOp);
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> RestartIT.runningContainers(dataDir).size() == 1);

      // 3. A delete killed right after its 202.
      var delete = apps.https.send("DELETE", app + AppFixture.APP_API, apps.owner, null);
      assertThat(delete.statusCode()).as(delete.body()).isEqualTo(202);
      String deleteOp =
          operation(delete.headers().firstValue("Azure-AsyncOperation").orElseThrow());
      berth.kill();
      berth = start();
      apps = RestartIT.fixture(dataDir);
      awaitSucceeded(apps, deleteOp);
      assertThat(apps.https.send("GET", app + AppFixture.APP_API, apps.owner, null).statusCode())
          .isEqualTo(404);
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> RestartIT.runningContainers(dataDir).isEmpty());
      System.out.printf(
          "deploy crash: 3 kills (create, update, delete); served %s ms after each restart%n",
          servedMillis);
    } finally {
      berth.close();
      ReplicaLeftovers.remove(dataDir, PREFIX);
    }
  }

  private static String body(String environment, String server, String password, String tag) {
    return """
        {"location":"local","properties":{"environmentId":"%s",
          "configuration":{"secrets":[{"name":"pw","value":"%s"}],
            "registries":[{"server":"%s","username":"deployacr","passwordSecretRef":"pw"}]},
          "template":{"terminationGracePeriodSeconds":1,
            "containers":[{"name":"api","image":"%s/api:%s"}],
            "scale":{"minReplicas":1,"maxReplicas":1}}}}
        """
        .formatted(environment, password, server, server, tag);
  }

  private static String operation(String url) {
    return url.substring(url.indexOf("/subscriptions/"));
  }

  /** The app's latest revision serves {@code content} within 10 s of Berth being ready. */
  private void awaitServed(AppFixture apps, String app, String content, long ready) {
    await()
        .atMost(SERVING_WITHIN.minusNanos(System.nanoTime() - ready))
        .pollInterval(Duration.ofMillis(100))
        .ignoreExceptions()
        .until(
            () -> {
              String latest = apps.get(app).at("/properties/latestRevisionName").asText();
              for (JsonNode replica : apps.replicas(app + "/revisions/" + latest)) {
                String address = replica.at("/properties/address").asText();
                if (!address.isEmpty() && content.equals(ReplicaHttp.index(address))) {
                  return true;
                }
              }
              return false;
            });
    servedMillis.add(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - ready));
  }

  private static void awaitSucceeded(AppFixture apps, String operation) {
    JsonNode[] last = new JsonNode[1];
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(200))
        .until(
            () -> {
              last[0] = Https.json(apps.https.send("GET", operation, apps.owner, null));
              return !"InProgress".equals(last[0].path("status").asText());
            });
    assertThat(last[0].path("status").asText()).as(last[0].toString()).isEqualTo("Succeeded");
  }
}
