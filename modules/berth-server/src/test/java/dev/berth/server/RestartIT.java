package dev.berth.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.registry.testing.OciLayouts;
import dev.berth.testing.Exec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 of Berth while replicas run: the replicas keep serving, and the next Berth adopts them —
 * the app is served by exactly the replicas it should have, no orphans, no duplicates.
 */
class RestartIT {

  static final String PREFIX = "brs";

  @Test
  void replicasSurviveKillMinus9AndAreAdoptedNotDoubled(@TempDir Path dataDir) throws Exception {
    Preconditions.requireRootAndTools("runc", "ip", "skopeo");
    int port = BerthProcess.freePort();
    List<String> args =
        List.of(
            "up",
            "--data-dir",
            dataDir.toString(),
            "--port",
            Integer.toString(port),
            "--runtime",
            "runc",
            "--replica-network",
            "10.214.1.0/24");
    Map<String, String> env = Map.of("BERTH_REPLICA_PREFIX", PREFIX);
    String app;
    List<String> before;
    try (BerthProcess berth = BerthProcess.start(args, env)) {
      AppFixture apps = fixture(dataDir);
      RegistryFixture fx = apps.registry;
      String registry = fx.createRegistry("restart", "restartacr", "{\"adminUserEnabled\":true}");
      String server = fx.loginServer(registry);
      Path layout = Files.createTempDirectory(dataDir, "image");
      OciLayouts.busybox(
          layout,
          "v1",
          List.of(OciLayouts.File.of("www/index.html", "still here\n")),
          List.of("httpd", "-f", "-p", "8080", "-h", "/www"));
      String creds = "restartacr:" + fx.adminPassword(registry);
      assertThat(fx.push(layout, server, creds, "api:latest").exit()).isZero();
      String environment = apps.createEnvironment("restart", "env");
      app = fx.group("restart") + "/providers/Microsoft.App/containerApps/api";
      JsonNode op =
          apps.putApp(
              app,
              """
              {"location":"local","properties":{"environmentId":"%s",
                "configuration":{"secrets":[{"name":"pw","value":"%s"}],
                  "registries":[{"server":"%s","username":"restartacr","passwordSecretRef":"pw"}]},
                "template":{"terminationGracePeriodSeconds":1,
                  "containers":[{"name":"api","image":"%s/api:latest"}],
                  "scale":{"minReplicas":2,"maxReplicas":2}}}}
              """
                  .formatted(environment, fx.adminPassword(registry), server, server));
      assertThat(op.path("status").asText()).as(op.toString()).isEqualTo("Succeeded");
      before = replicaNames(apps, app);
      assertThat(before).hasSize(2);
      berth.kill();
    }
    assertThat(runningContainers(dataDir)).hasSize(2);

    try (BerthProcess berth = BerthProcess.start(args, env)) {
      AppFixture apps = fixture(dataDir);
      // Through a few reconcile passes, in which any duplicate would start: still exactly these.
      await()
          .during(Duration.ofSeconds(2))
          .atMost(Duration.ofSeconds(5))
          .untilAsserted(
              () -> {
                assertThat(replicaNames(apps, app)).containsExactlyInAnyOrderElementsOf(before);
                assertThat(runningContainers(dataDir)).hasSize(2);
              });
      String revision = apps.revisions(app).get(0).path("id").asText();
      for (JsonNode replica : apps.replicas(revision)) {
        assertThat(ReplicaHttp.index(replica.at("/properties/address").asText()))
            .isEqualTo("still here\n");
      }
      apps.deleteApp(app);
      // Stopped means torn down too: runc's container deleted, then the root unmounted and the
      // network namespace removed; a Berth closed in between would leave those behind.
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> runningContainers(dataDir).isEmpty() && mountsUnder(dataDir).isEmpty());
    } finally {
      ReplicaLeftovers.remove(dataDir, PREFIX);
    }
  }

  static AppFixture fixture(Path dataDir) throws Exception {
    BootstrapInfo boot =
        Https.JSON.readValue(
            Files.readString(dataDir.resolve("bootstrap.json")), BootstrapInfo.class);
    return new AppFixture(new RegistryFixture(boot, dataDir.resolve("tls/ca.pem"), dataDir));
  }

  static List<String> replicaNames(AppFixture apps, String app) throws Exception {
    String revision = apps.revisions(app).get(0).path("id").asText();
    List<String> names = new ArrayList<>();
    apps.replicas(revision).forEach(r -> names.add(r.path("name").asText()));
    return names;
  }

  /** The mount points under {@code dir}: a replica's overlay root while it is not torn down. */
  static List<String> mountsUnder(Path dir) throws Exception {
    List<String> mounts = new ArrayList<>();
    for (String line : Files.readAllLines(Path.of("/proc/self/mounts"))) {
      String[] fields = line.split(" ");
      if (fields.length > 1 && fields[1].startsWith(dir.toString() + "/")) {
        mounts.add(fields[1]);
      }
    }
    return mounts;
  }

  /** What runc itself says runs in this Berth's runc root. */
  static List<String> runningContainers(Path dataDir) throws Exception {
    String out =
        Exec.of("runc", "--root", dataDir.resolve("runtime/runc").toString(), "list", "-q")
            .timeout(Duration.ofSeconds(30))
            .run()
            .requireSuccess()
            .stdout()
            .strip();
    return out.isEmpty() ? List.of() : List.of(out.split("\\s+"));
  }
}
