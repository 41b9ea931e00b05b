package dev.berth.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.registry.testing.OciLayouts;
import dev.berth.testing.Exec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 13, point 4, inside a replica on real runc: a registry's login server ({@code
 * <name>.azurecr.io.localhost:<port>}) resolves there through the replica's own {@code /etc/hosts},
 * answers on the same port at the bridge's gateway, and is trusted through Berth's CA at {@code
 * /etc/containers/certs.d/<login server>/ca.crt} (and Docker's path); a registry made while the
 * replica runs resolves at once, and its IP rules judge the replica's own address with the real
 * authorizer (docs/registry.md, "Replicas").
 */
class ReplicaRegistryIT {

  static final String NETWORK = "10.214.23.0/24";
  static final String GATEWAY = "10.214.23.1";
  static final String PREFIX = "rrg";

  @RegisterExtension static final RunningBerth BERTH = RunningBerth.withReplicas(NETWORK, PREFIX);

  private static final ObjectMapper JSON = new ObjectMapper();

  static RegistryFixture fx;
  static AppFixture apps;
  static String loginServer;
  static String replica;

  @BeforeAll
  static void runAReplicaFromTheRegistry() throws Exception {
    Preconditions.requireRootAndTools("runc", "ip", "skopeo", "curl", "nsenter");
    fx = new RegistryFixture(BERTH);
    apps = new AppFixture(fx);
    String registryId = fx.createRegistry("inside", "insideacr", "{\"adminUserEnabled\":true}");
    loginServer = fx.loginServer(registryId);
    assertThat(loginServer).matches("insideacr\\.azurecr\\.io\\.localhost:\\d+");
    String password = fx.adminPassword(registryId);
    Path layout = Files.createTempDirectory(BERTH.dataDir(), "image");
    OciLayouts.busybox(layout, "v1", List.of(), List.of("sleep", "3600"));
    var pushed = fx.push(layout, loginServer, "insideacr:" + password, "tools:v1");
    assertThat(pushed.exit()).as(pushed.output()).isZero();
    String environment = apps.createEnvironment("inside", "env");
    String app = fx.group("inside") + "/providers/Microsoft.App/containerApps/tools";
    JsonNode op =
        apps.putApp(
            app,
            """
            {"location":"local",
             "properties":{"environmentId":"%s",
               "configuration":{"activeRevisionsMode":"Single",
                 "secrets":[{"name":"acr-pw","value":"%s"}],
                 "registries":[{"server":"%s","username":"insideacr","passwordSecretRef":"acr-pw"}]},
               "template":{"terminationGracePeriodSeconds":1,"containers":[{"name":"tools",
                 "image":"%s/tools:v1","resources":{"cpu":0.25,"memory":"0.5Gi"}}],
                 "scale":{"minReplicas":1,"maxReplicas":1}}}}
            """
                .formatted(environment, password, loginServer, loginServer));
    assertThat(op.path("status").asText()).as(op.toString()).isEqualTo("Succeeded");
    String revision = apps.get(app).at("/properties/latestRevisionName").asText();
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> apps.replicas(app + "/revisions/" + revision).size() == 1);
    replica = apps.replicas(app + "/revisions/" + revision).path(0).path("name").asText();
  }

  @Test
  void theLoginServerResolvesAnswersAndIsTrustedInsideAReplica() throws Exception {
    String host = hostOf(loginServer);
    assertThat(inReplica("cat", "/etc/hosts").requireSuccess().stdout())
        .contains(GATEWAY + "\t" + host + "\n");

    // busybox's own resolver and TLS: the name resolves and the registry answers its challenge.
    var wget =
        inReplica("wget", "-S", "-O-", "--no-check-certificate", "https://" + loginServer + "/v2/");
    assertThat(wget.output())
        .contains("Connecting to " + loginServer + " (" + GATEWAY + ":")
        .contains("HTTP/1.1 401");

    // Berth's CA, where containers/image and Docker look for this registry's.
    String ca = Files.readString(BERTH.caFile());
    assertThat(ca).contains("BEGIN CERTIFICATE").doesNotContain("PRIVATE KEY");
    for (String certsD : List.of("/etc/containers/certs.d/", "/etc/docker/certs.d/")) {
      assertThat(inReplica("cat", certsD + loginServer + "/ca.crt").requireSuccess().stdout())
          .as(certsD)
          .isEqualTo(ca);
    }
    // ... and it verifies the registry's certificate for that name, from the replica's network.
    Path caInside = Files.createTempFile(BERTH.dataDir(), "ca-inside", ".crt");
    Files.writeString(
        caInside, inReplica("cat", "/etc/containers/certs.d/" + loginServer + "/ca.crt").stdout());
    Answer answer = curlFromReplica(loginServer, resolvedInReplica(host), caInside);
    assertThat(answer.status()).as(answer.body()).isEqualTo(401);
    assertThat(answer.body()).contains("\"code\":\"UNAUTHORIZED\"");
  }

  @Test
  void aRegistryMadeWhileTheReplicaRunsResolvesAtOnceAndItsIpRulesJudgeTheReplicasAddress()
      throws Exception {
    // Allows the host's loopback only: the replica's address is outside.
    String id =
        fx.createRegistry(
            "inside",
            "fencedacr",
            "{\"networkRuleSet\":{\"defaultAction\":\"Deny\",\"ipRules\":"
                + "[{\"action\":\"Allow\",\"value\":\"127.0.0.0/8\"}]}}");
    String fenced = fx.loginServer(id);
    await()
        .atMost(Duration.ofSeconds(5))
        .untilAsserted(
            () ->
                assertThat(inReplica("cat", "/etc/hosts").stdout())
                    .contains(GATEWAY + "\t" + hostOf(fenced) + "\n"));
    // And its CA where registry clients look for it, though the replica started before it.
    for (String certsD : List.of("/etc/containers/certs.d/", "/etc/docker/certs.d/")) {
      assertThat(inReplica("cat", certsD + fenced + "/ca.crt").requireSuccess().stdout())
          .isEqualTo(Files.readString(BERTH.caFile()));
    }
    String address = replicaAddress();

    Answer refused = curlFromReplica(fenced, resolvedInReplica(hostOf(fenced)), BERTH.caFile());
    assertThat(refused.status()).as(refused.body()).isEqualTo(403);
    JsonNode error = JSON.readTree(refused.body()).path("errors").path(0);
    assertThat(error.path("code").asText()).isEqualTo("DENIED");
    assertThat(error.path("message").asText())
        .contains("client with IP '" + address + "' is not allowed access");
    assertThat(
            inReplica("wget", "-S", "-O-", "--no-check-certificate", "https://" + fenced + "/v2/")
                .output())
        .contains("HTTP/1.1 403");

    fx.patchRegistry(
        id,
        "{\"properties\":{\"networkRuleSet\":{\"defaultAction\":\"Deny\",\"ipRules\":["
            + "{\"action\":\"Allow\",\"value\":\"127.0.0.0/8\"},"
            + "{\"action\":\"Allow\",\"value\":\""
            + address
            + "\"}]}}}");
    Answer allowed = curlFromReplica(fenced, resolvedInReplica(hostOf(fenced)), BERTH.caFile());
    assertThat(allowed.status()).as(allowed.body()).isEqualTo(401);
    assertThat(allowed.body()).contains("\"code\":\"UNAUTHORIZED\"");

    // Deleting the registry closes its port and takes its name out of the running replica.
    var delete = fx.https.send("DELETE", id + RegistryFixture.REGISTRY_API, fx.owner, null);
    assertThat(delete.statusCode()).as(delete.body()).isIn(200, 202, 204);
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                assertThat(inReplica("cat", "/etc/hosts").stdout()).doesNotContain(hostOf(fenced)));
    assertThat(inReplica("cat", "/etc/hosts").stdout()).contains(hostOf(loginServer));
    assertThat(inReplica("ls", "/etc/containers/certs.d/").stdout())
        .contains(loginServer)
        .doesNotContain(fenced);
  }

  /** A command run inside the replica (its namespaces and root), with runc's own exec. */
  static Exec.Result inReplica(String... command) throws Exception {
    List<String> argv =
        new ArrayList<>(
            List.of(
                "runc",
                "--root",
                BERTH.dataDir().resolve("runtime").resolve("runc").toString(),
                "exec",
                PREFIX + "-" + replica));
    argv.addAll(List.of(command));
    return Exec.of(argv).separateStderr().timeout(Duration.ofSeconds(30)).run();
  }

  /** The replica's own address: its line in its hosts file. */
  static String replicaAddress() throws Exception {
    return resolvedInReplica(replica);
  }

  /** The address the replica's hosts file gives {@code name}. */
  static String resolvedInReplica(String name) throws Exception {
    String hosts = inReplica("cat", "/etc/hosts").requireSuccess().stdout();
    for (String line : hosts.split("\n")) {
      String[] parts = line.split("\\s+");
      if (parts.length == 2 && parts[1].equals(name)) {
        return parts[0];
      }
    }
    throw new AssertionError(
        "the replica's hosts file names no address for " + name + ":\n" + hosts);
  }

  record Answer(int status, String body) {}

  /**
   * The host's curl in the replica's network namespace: {@code GET /v2/} on {@code loginServer},
   * the name resolved as the replica's hosts file does, trusting {@code ca} only.
   */
  static Answer curlFromReplica(String loginServer, String address, Path ca) throws Exception {
    String host = hostOf(loginServer);
    String port = loginServer.substring(loginServer.lastIndexOf(':') + 1);
    var result =
        Exec.of(
                "nsenter",
                "--net=/run/netns/" + PREFIX + "-" + replica,
                "curl",
                "-sS",
                "--noproxy",
                "*",
                "--max-time",
                "10",
                "--cacert",
                ca.toString(),
                "--resolve",
                host + ":" + port + ":" + address,
                "-w",
                "\n%{http_code}",
                "https://" + loginServer + "/v2/")
            .separateStderr()
            .timeout(Duration.ofSeconds(20))
            .run();
    assertThat(result.exit()).as(result.output()).isZero();
    String out = result.stdout();
    int cut = out.lastIndexOf('\n');
    return new Answer(Integer.parseInt(out.substring(cut + 1).strip()), out.substring(0, cut));
  }

  static String hostOf(String loginServer) {
    return loginServer.substring(0, loginServer.lastIndexOf(':'));
  }
}
