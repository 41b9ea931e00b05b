package dev.berth.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.registry.testing.OciLayouts;
import dev.berth.testing.Exec;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The README's walk-through ("A registry, and an image in it", "A container app that pulls with
 * that identity") on real runc: an image pushed to Berth's registry is pulled by a revision with a
 * managed identity that holds AcrPull, runs, and answers on its own address; and each way a pull
 * can be refused says why. What every test needs and none changes — the registry, the pushed image,
 * the environment, the identity with AcrPull — is made once; each test makes its own apps, so the
 * tests pass in any order.
 */
class ContainerAppIT {

  @RegisterExtension
  static final RunningBerth BERTH = RunningBerth.withReplicas("10.214.0.0/24", "bit");

  static RegistryFixture fx;
  static AppFixture apps;
  static String registryId;
  static String loginServer;
  static String environment;
  static JsonNode pullId;
  static String digest;

  @BeforeAll
  static void pushAnImageAndPrepareAnIdentity() throws Exception {
    Preconditions.requireRootAndTools("runc", "ip", "skopeo");
    fx = new RegistryFixture(BERTH);
    apps = new AppFixture(fx);
    registryId = fx.createRegistry("story", "storyacr", "{\"adminUserEnabled\":true}");
    loginServer = fx.loginServer(registryId);
    Path layout = Files.createTempDirectory(BERTH.dataDir(), "image");
    OciLayouts.busybox(
        layout,
        "v1",
        List.of(OciLayouts.File.of("www/index.html", "hello from berth\n")),
        List.of("httpd", "-f", "-p", "8080", "-h", "/www"));
    var pushed =
        fx.push(layout, loginServer, "storyacr:" + fx.adminPassword(registryId), "api:latest");
    assertThat(pushed.exit()).as(pushed.output()).isZero();
    var inspected =
        fx.inspect(loginServer, "storyacr:" + fx.adminPassword(registryId), "api:latest");
    assertThat(inspected.exit()).as(inspected.output()).isZero();
    digest = Https.JSON.readTree(inspected.output()).path("Digest").asText();
    environment = apps.createEnvironment("story", "env");
    pullId = apps.createIdentity("story", "pull-id");
    apps.assignRole(
        pullId.at("/properties/principalId").asText(), RegistryFixture.ACR_PULL, registryId);
  }

  @AfterAll
  static void deleteTheApps() throws Exception {
    if (apps == null) {
      return;
    }
    for (JsonNode app :
        apps.get(fx.group("story") + "/providers/Microsoft.App/containerApps").path("value")) {
      apps.deleteApp(app.path("id").asText());
    }
  }

  static String app(String name) {
    return fx.group("story") + "/providers/Microsoft.App/containerApps/" + name;
  }

  static String appBody(String identity, String registries, String image, String secrets) {
    return """
        {"location":"local","identity":%s,
         "properties":{"environmentId":"%s",
           "configuration":{"activeRevisionsMode":"Single","secrets":%s,"registries":%s,
             "ingress":{"external":true,"targetPort":8080}},
           "template":{"terminationGracePeriodSeconds":1,"containers":[{"name":"api","image":"%s",
             "resources":{"cpu":0.25,"memory":"0.5Gi"}}],
             "scale":{"minReplicas":1,"maxReplicas":1}}}}
        """
        .formatted(identity, environment, secrets, registries, image);
  }

  static String userAssigned() {
    return "{\"type\":\"UserAssigned\",\"userAssignedIdentities\":{\""
        + pullId.path("id").asText()
        + "\":{}}}";
  }

  static String byIdentity(String identity) {
    return "[{\"server\":\"" + loginServer + "\",\"identity\":\"" + identity + "\"}]";
  }

  /** An app of the pushed image, pulled with the identity that holds AcrPull. */
  static String pullingApp() {
    return appBody(
        userAssigned(), byIdentity(pullId.path("id").asText()), loginServer + "/api:latest", "[]");
  }

  /** The address of the first replica of the app's first revision. */
  static String replicaAddress(String appId) throws Exception {
    String revision = apps.revisions(appId).get(0).path("id").asText();
    return apps.replicas(revision).get(0).at("/properties/address").asText();
  }

  @Test
  void aUserAssignedIdentityWithAcrPullPullsTheImageAndTheReplicaAnswers() throws Exception {
    JsonNode op = apps.putApp(app("api-uami"), pullingApp());
    assertThat(op.path("status").asText()).as(op.toString()).isEqualTo("Succeeded");

    JsonNode revision = apps.revisions(app("api-uami")).get(0);
    assertThat(revision.at("/properties/runningState").asText()).isEqualTo("Running");
    assertThat(revision.at("/properties/images/0/digest").asText()).isEqualTo(digest);
    JsonNode replica = apps.replicas(revision.path("id").asText()).get(0);
    String address = replica.at("/properties/address").asText();
    assertThat(address).startsWith("10.214.0.");
    assertThat(ReplicaHttp.served(address)).isEqualTo("hello from berth\n");
  }

  @Test
  void aSystemIdentityWithoutAcrPullIsRefusedAndTheRevisionRecoversOnceItIsGranted()
      throws Exception {
    JsonNode op =
        apps.putApp(
            app("api-sys"),
            appBody(
                "{\"type\":\"SystemAssigned\"}",
                byIdentity("system"),
                loginServer + "/api:latest",
                "[]"));
    assertThat(op.path("status").asText()).isEqualTo("Failed");
    assertThat(op.at("/error/code").asText()).isEqualTo("ContainerAppOperationError");
    assertThat(op.at("/error/message").asText())
        .startsWith("Failed to provision revision for container app 'api-sys'. Error details:")
        .contains("Field 'template.containers.api.image' is invalid")
        .contains("UNAUTHORIZED")
        .contains("AcrPull");

    String principal = apps.get(app("api-sys")).at("/identity/principalId").asText();
    apps.assignRole(principal, RegistryFixture.ACR_PULL, registryId);

    String revision = apps.revisions(app("api-sys")).get(0).path("id").asText();
    apps.awaitRevision(revision, "Provisioned", "Running");
    String address = apps.replicas(revision).get(0).at("/properties/address").asText();
    assertThat(ReplicaHttp.served(address)).isEqualTo("hello from berth\n");
  }

  @Test
  void aMissingTagIsManifestUnknownAndNamesTheTagsThatExist() throws Exception {
    JsonNode op =
        apps.putApp(
            app("api-notag"),
            appBody(
                userAssigned(),
                byIdentity(pullId.path("id").asText()),
                loginServer + "/api:nope",
                "[]"));
    assertThat(op.path("status").asText()).isEqualTo("Failed");
    assertThat(op.at("/error/message").asText())
        .contains("MANIFEST_UNKNOWN")
        .contains("nope")
        .contains("latest");
  }

  @Test
  void aWrongPasswordSecretIsUnauthorized() throws Exception {
    String registries =
        "[{\"server\":\""
            + loginServer
            + "\",\"username\":\"storyacr\",\"passwordSecretRef\":\"pw\"}]";
    JsonNode op =
        apps.putApp(
            app("api-pw"),
            appBody(
                "{\"type\":\"None\"}",
                registries,
                loginServer + "/api:latest",
                "[{\"name\":\"pw\",\"value\":\"wrong\"}]"));
    assertThat(op.path("status").asText()).isEqualTo("Failed");
    assertThat(op.at("/error/message").asText()).contains("UNAUTHORIZED");
  }

  @Test
  void anIdentityThatIsNotAttachedIsRefusedAtOnce() throws Exception {
    var put =
        apps.https.send(
            "PUT",
            app("api-detached") + AppFixture.APP_API,
            apps.owner,
            appBody(
                "{\"type\":\"None\"}",
                byIdentity(pullId.path("id").asText()),
                loginServer + "/api:latest",
                "[]"));
    assertThat(put.statusCode()).as(put.body()).isEqualTo(400);
    assertThat(put.body()).contains(pullId.path("id").asText());
  }

  @Test
  void theArmAudiencePolicyDisabledRefusesTheExchange() throws Exception {
    fx.patchRegistry(
        registryId,
        "{\"properties\":{\"policies\":{\"azureADAuthenticationAsArmPolicy\":{\"status\":\"disabled\"}}}}");
    try {
      JsonNode op =
          apps.putApp(
              app("api-policy"),
              appBody(
                  userAssigned(),
                  byIdentity(pullId.path("id").asText()),
                  loginServer + "/api:latest",
                  "[]"));
      assertThat(op.path("status").asText()).isEqualTo("Failed");
      assertThat(op.at("/error/message").asText())
          .contains("UNAUTHORIZED")
          .contains("authentication-as-arm");
    } finally {
      fx.patchRegistry(
          registryId,
          "{\"properties\":{\"policies\":{\"azureADAuthenticationAsArmPolicy\":{\"status\":\"enabled\"}}}}");
    }
  }

  @Test
  void aNetworkRuleDenyingTheEnvironmentsAddressIsDenied() throws Exception {
    fx.patchRegistry(
        registryId,
        "{\"properties\":{\"networkRuleSet\":{\"defaultAction\":\"Deny\",\"ipRules\":[]}}}");
    try {
      JsonNode op =
          apps.putApp(
              app("api-network"),
              appBody(
                  userAssigned(),
                  byIdentity(pullId.path("id").asText()),
                  loginServer + "/api:latest",
                  "[]"));
      String outbound = apps.get(environment).at("/properties/outboundAddress").asText();
      assertThat(op.path("status").asText()).isEqualTo("Failed");
      assertThat(op.at("/error/message").asText()).contains("DENIED").contains(outbound);
    } finally {
      fx.patchRegistry(
          registryId,
          "{\"properties\":{\"networkRuleSet\":{\"defaultAction\":\"Allow\",\"ipRules\":[]}}}");
    }
  }

  static String commandApp(String command, String memory) {
    return commandApp(command, memory, "");
  }

  /** An app whose container runs {@code sh -c command}; {@code ingress} JSON or blank. */
  static String commandApp(String command, String memory, String ingress) {
    return """
        {"location":"local","identity":%s,
         "properties":{"environmentId":"%s",
           "configuration":{"registries":%s%s},
           "template":{"terminationGracePeriodSeconds":1,
             "containers":[{"name":"api","image":"%s/api:latest",
               "command":["sh","-c",%s],
               "resources":{"cpu":0.25,"memory":"%s"}}],
             "scale":{"minReplicas":1,"maxReplicas":1}}}}
        """
        .formatted(
            userAssigned(),
            environment,
            byIdentity(pullId.path("id").asText()),
            ingress.isBlank() ? "" : ",\"ingress\":" + ingress,
            loginServer,
            Https.JSON.valueToTree(command).toString(),
            memory);
  }

  @Test
  void aProcessInsideTheReplicaGetsATokenForItsIdentityFromTheIdentityEndpoint() throws Exception {
    String script =
        "wget -q -O /www/token.json --header \"X-IDENTITY-HEADER: $IDENTITY_HEADER\""
            + " \"$IDENTITY_ENDPOINT?resource=https://management.azure.com/&api-version=2019-08-01"
            + "&client_id="
            + pullId.at("/properties/clientId").asText()
            + "\" 2> /www/wget.log; wget -q -O /www/stranger.txt --header 'X-IDENTITY-HEADER: forged'"
            + " \"$IDENTITY_ENDPOINT?resource=https://management.azure.com/&api-version=2019-08-01\""
            + " || echo refused > /www/stranger.txt; httpd -f -p 8080 -h /www";
    JsonNode op = apps.putApp(app("api-mi"), commandApp(script, "0.5Gi"));
    assertThat(op.path("status").asText()).as(op.toString()).isEqualTo("Succeeded");
    String revision = apps.revisions(app("api-mi")).get(0).path("id").asText();
    String address = apps.replicas(revision).get(0).at("/properties/address").asText();

    // The script asks for the tokens before it starts its web server: once the server answers,
    // token.json is whole. Until then there is nothing to fetch, not even wget's log.
    JsonNode[] token = new JsonNode[1];
    try {
      await()
          .atMost(Duration.ofSeconds(30))
          .ignoreExceptions()
          .untilAsserted(
              () -> {
                HttpResponse<String> r = ReplicaHttp.get(address, "/token.json");
                assertThat(r.statusCode()).isEqualTo(200);
                token[0] = Https.JSON.readTree(r.body());
              });
    } catch (ConditionTimeoutException e) {
      throw new AssertionError("no token from the replica; wget said: " + wgetLog(address), e);
    }
    assertThat(token[0].path("expires_on").isTextual()).isTrue();
    assertThat(token[0].path("client_id").asText())
        .isEqualTo(pullId.at("/properties/clientId").asText());
    String payload = token[0].path("access_token").asText().split("\\.")[1];
    JsonNode claims = Https.JSON.readTree(Base64.getUrlDecoder().decode(payload));
    assertThat(claims.path("oid").asText())
        .isEqualTo(pullId.at("/properties/principalId").asText());
    assertThat(ReplicaHttp.get(address, "/stranger.txt").body()).isEqualTo("refused\n");
  }

  private static String wgetLog(String address) {
    try {
      return ReplicaHttp.get(address, "/wget.log").body();
    } catch (Exception e) {
      return "(its log is out of reach: " + e + ")";
    }
  }

  @Test
  void aDeleteEndsOnlyOnceTheAppsReplicasHaveStopped() throws Exception {
    ObjectNode body = (ObjectNode) Https.JSON.readTree(pullingApp());
    ((ObjectNode) body.at("/properties/template")).put("terminationGracePeriodSeconds", 2);
    JsonNode op = apps.putApp(app("api-gone"), body.toString());
    assertThat(op.path("status").asText()).as(op.toString()).isEqualTo("Succeeded");
    String revision = apps.revisions(app("api-gone")).get(0).path("id").asText();
    String replica = apps.replicas(revision).get(0).path("name").asText();
    assertThat(runcContainers()).anyMatch(c -> c.contains(replica));

    HttpResponse<String> deleted =
        fx.https.send("DELETE", app("api-gone") + AppFixture.APP_API, fx.owner, null);
    assertThat(deleted.statusCode()).as(deleted.body()).isEqualTo(202);
    JsonNode done = apps.awaitOperation(deleted, Duration.ofMillis(50));

    // As Container Apps: Succeeded means the app no longer runs anywhere, so whoever waited
    // for it may remove what it used.
    assertThat(done.path("status").asText()).as(done.toString()).isEqualTo("Succeeded");
    assertThat(runcContainers()).noneMatch(c -> c.contains(replica));
  }

  /** The ids of the containers in this Berth's runc root. */
  private static List<String> runcContainers() throws Exception {
    Exec.Result r =
        Exec.of("runc", "--root", BERTH.dataDir().resolve("runtime/runc").toString(), "list", "-q")
            .timeout(Duration.ofSeconds(20))
            .run();
    assertThat(r.exit()).as(r.output()).isZero();
    return r.stdout().lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
  }

  @Test
  void aReplicaThatOutgrowsItsMemoryIsOomKilledAndReportedSo() throws Exception {
    try {
      // dd's 700 MB buffer is more than the 0.5Gi limit allows.
      JsonNode op =
          apps.putApp(
              app("api-oom"),
              commandApp(
                  "exec dd if=/dev/zero of=/dev/null bs=700M count=1",
                  "0.5Gi",
                  "{\"targetPort\":8080}"));
      assertThat(op.path("status").asText()).isEqualTo("Failed");
      assertThat(op.at("/error/message").asText()).contains("OOMKilled");
    } finally {
      apps.deleteApp(app("api-oom"));
    }
  }

  @Test
  void aCrashLoopingReplicaBacksOffAndItsRevisionIsDegradedWithoutTouchingOthers()
      throws Exception {
    JsonNode calm = apps.putApp(app("api-calm"), pullingApp());
    assertThat(calm.path("status").asText()).as(calm.toString()).isEqualTo("Succeeded");
    try {
      JsonNode op =
          apps.putApp(
              app("api-crash"), commandApp("echo bye; exit 3", "0.5Gi", "{\"targetPort\":8080}"));
      assertThat(op.path("status").asText()).isEqualTo("Failed");
      assertThat(op.at("/error/message").asText()).contains("exited with code 3");
      String revision = apps.revisions(app("api-crash")).get(0).path("id").asText();
      JsonNode state = apps.get(revision).path("properties");
      assertThat(state.path("runningState").asText()).isEqualTo("Degraded");
      assertThat(apps.replicas(revision).get(0).at("/properties/containers/0/restartCount").asInt())
          .isGreaterThanOrEqualTo(3);

      String other = apps.revisions(app("api-calm")).get(0).path("id").asText();
      assertThat(apps.get(other).at("/properties/runningState").asText()).isEqualTo("Running");
      assertThat(ReplicaHttp.served(replicaAddress(app("api-calm"))))
          .isEqualTo("hello from berth\n");
    } finally {
      apps.deleteApp(app("api-crash"));
    }
  }

  @Test
  void logsShowTheReplicasConsoleAndTheAppsSystemEvents() throws Exception {
    var put =
        apps.https.send(
            "PUT",
            app("api-logs") + AppFixture.APP_API,
            apps.owner,
            commandApp("echo bye; exit 3", "0.5Gi", "{\"targetPort\":8080}"));
    assertThat(put.statusCode()).as(put.body()).isIn(200, 201);
    try {
      // The replica says "bye" and exits; its log and the app's events say so once they exist.
      String[] revision = new String[1];
      await()
          .atMost(Duration.ofMinutes(2))
          .pollInterval(Duration.ofMillis(500))
          .ignoreExceptions()
          .untilAsserted(
              () -> {
                revision[0] = apps.revisions(app("api-logs")).get(0).path("id").asText();
                String replica = apps.replicas(revision[0]).get(0).path("name").asText();
                String stream =
                    revision[0]
                        + "/replicas/"
                        + replica
                        + "/containers/api/logstream"
                        + AppFixture.APP_API;
                var console = apps.https.send("GET", stream + "&tailLines=5", apps.owner, null);
                assertThat(console.statusCode()).as(console.body()).isEqualTo(200);
                assertThat(console.body()).contains("bye");
                var system =
                    apps.https.send("GET", stream + "&type=system&tailLines=300", apps.owner, null);
                assertThat(system.body())
                    .contains("\"Reason\":\"PullingImage\"")
                    .contains("\"Reason\":\"ContainerTerminated\"");
              });

      var unknown =
          apps.https.send(
              "GET",
              revision[0] + "/replicas/nope/containers/api/logstream" + AppFixture.APP_API,
              apps.owner,
              null);
      assertThat(unknown.statusCode()).isEqualTo(404);
    } finally {
      apps.deleteApp(app("api-logs"));
    }
  }
}
