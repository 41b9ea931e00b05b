package dev.berth.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.berth.identity.BuiltInRoles;
import dev.berth.registry.testing.OciLayouts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 13, points 6 and 7 on real runc: each cause broken on purpose fails the pull; {@code berth
 * containerapp diagnose} names its cause code and fix; running the suggested {@code berth} fix
 * makes the SAME revision run — no new revision — within 2 s of the fix, although the pull's
 * back-off (5 s, doubling) has not run out. One Berth and one pushed image for the class; each test
 * has its own app and puts back what it changed of the shared registry.
 */
class HealAtOnceIT {

  @RegisterExtension
  static final RunningBerth BERTH = RunningBerth.withReplicas("10.214.40.0/24", "hea");

  private static final Duration FIX_TO_RUNNING = Duration.ofSeconds(2);
  private static final String GROUP = "heal";

  @TempDir static Path home;
  static RegistryFixture fx;
  static AppFixture apps;
  static String registryId;
  static String loginServer;
  static String environment;
  static Path layout;

  @BeforeAll
  static void pushAnImage() throws Exception {
    Preconditions.requireRootAndTools("runc", "ip", "skopeo");
    fx = new RegistryFixture(BERTH);
    apps = new AppFixture(fx);
    registryId = fx.createRegistry(GROUP, "healacr", "{\"adminUserEnabled\":true}");
    loginServer = fx.loginServer(registryId);
    layout = Files.createTempDirectory(BERTH.dataDir(), "image");
    OciLayouts.busybox(
        layout,
        "v1",
        List.of(OciLayouts.File.of("www/index.html", "healed\n")),
        List.of("httpd", "-f", "-p", "8080", "-h", "/www"));
    push("api:1");
    environment = apps.createEnvironment(GROUP, "env");
    CliRun login = berth("login");
    assertThat(login.exit()).as(login.err()).isZero();
  }

  /** Apps a failed test left (a passing one deletes its own): their replicas must stop. */
  @AfterAll
  static void deleteTheApps() throws Exception {
    if (apps == null) {
      return;
    }
    for (JsonNode app :
        apps.get(fx.group(GROUP) + "/providers/Microsoft.App/containerApps").path("value")) {
      apps.deleteApp(app.path("id").asText());
    }
  }

  static CliRun berth(String... args) {
    return CliRun.of(BERTH.dataDir(), home, args);
  }

  private static void push(String ref) throws Exception {
    var pushed = fx.push(layout, loginServer, "healacr:" + fx.adminPassword(registryId), ref);
    assertThat(pushed.exit()).as(pushed.output()).isZero();
  }

  /** An app pulling {@code image} with a new identity of its own (granted AcrPull or not). */
  private static String appWithIdentity(String name, String image, boolean acrPull, String server)
      throws Exception {
    return appWithIdentity(name, image, acrPull, server, "Failed");
  }

  private static String appWithIdentity(
      String name, String image, boolean acrPull, String server, String outcome) throws Exception {
    JsonNode identity = apps.createIdentity(GROUP, name + "-id");
    if (acrPull) {
      apps.assignRole(
          identity.at("/properties/principalId").asText(), RegistryFixture.ACR_PULL, registryId);
    }
    return putApp(name, identity.path("id").asText(), image, server, outcome);
  }

  /** PUTs app {@code name} pulling {@code image} with identity {@code id}; the write's outcome. */
  private static String putApp(String name, String id, String image, String server, String outcome)
      throws Exception {
    String app = fx.group(GROUP) + "/providers/Microsoft.App/containerApps/" + name;
    String body =
        """
        {"location":"local","identity":{"type":"UserAssigned","userAssignedIdentities":{"%s":{}}},
         "properties":{"environmentId":"%s",
           "configuration":{"activeRevisionsMode":"Single",
             "registries":[{"server":"%s","identity":"%s"}]},
           "template":{"terminationGracePeriodSeconds":1,"containers":[{"name":"api","image":"%s",
             "resources":{"cpu":0.25,"memory":"0.5Gi"}}],"scale":{"minReplicas":1,"maxReplicas":1}}}}
        """
            .formatted(id, environment, server, id, image);
    JsonNode op = apps.putApp(app, body);
    assertThat(op.path("status").asText()).as(op.toString()).isEqualTo(outcome);
    return app;
  }

  /**
   * The app's one revision failed; {@code containerapp diagnose} names {@code code} first; its
   * berth fix (or {@code fix}, when the finding's is advice) is run; the same revision then runs
   * within 2 s.
   */
  private static void diagnoseFixAndHeal(String app, String code, Fix fix) throws Exception {
    String name = app.substring(app.lastIndexOf('/') + 1);
    JsonNode revisions = apps.revisions(app);
    assertThat(revisions).hasSize(1);
    String revision = revisions.get(0).path("name").asText();
    assertThat(revisions.get(0).at("/properties/provisioningError").asText())
        .contains("Berth retries by itself (next try in ")
        .contains("to retry now: `berth containerapp revision restart -n " + name);

    CliRun diagnosed = berth("containerapp", "diagnose", "-n", name, "-g", GROUP);
    assertThat(diagnosed.exit()).as(diagnosed.err()).isZero();
    JsonNode diagnosis = Https.JSON.readTree(diagnosed.out()).get(0);
    JsonNode finding = diagnosis.path("findings").get(0);
    assertThat(finding.path("code").asText()).as(diagnosed.out()).isEqualTo(code);
    assertThat(finding.path("fix").path("az").get(0).asText()).startsWith("az ");
    assertThat(diagnosis.path("retry").path("nextTryInSeconds").asLong()).isPositive();

    long started = System.nanoTime();
    if (fix != null) {
      fix.apply(finding);
    } else {
      for (JsonNode line : finding.path("fix").path("berth")) {
        CliRun r = berth(words(line.asText()));
        assertThat(r.exit()).as(line.asText() + "\n" + r.err()).isZero();
      }
    }
    long fixed = System.nanoTime();
    await()
        .atMost(FIX_TO_RUNNING)
        .pollInterval(Duration.ofMillis(25))
        .until(() -> "Running".equals(runningState(app, revision)));
    System.out.printf(
        "HEAL %s %s: fix took %d ms, running %d ms after it%n",
        name, code, (fixed - started) / 1_000_000, (System.nanoTime() - fixed) / 1_000_000);
    assertThat(apps.revisions(app)).hasSize(1);
    assertThat(apps.revisions(app).get(0).path("name").asText()).isEqualTo(revision);
    CliRun healthy = berth("containerapp", "diagnose", "-n", name, "-g", GROUP);
    assertThat(Https.JSON.readTree(healthy.out()).get(0).path("healthy").asBoolean())
        .as(healthy.out())
        .isTrue();
    apps.deleteApp(app);
  }

  /** A fix run by the test itself: the finding's advice, or its commands with a value filled in. */
  @FunctionalInterface
  interface Fix {
    void apply(JsonNode finding) throws Exception;
  }

  /** Runs a finding's berth lines, replacing {@code placeholder} with {@code value}. */
  private static void runFilledIn(JsonNode finding, String placeholder, String value) {
    for (JsonNode line : finding.path("fix").path("berth")) {
      String command = line.asText().replace(placeholder, value);
      CliRun r = berth(words(command));
      assertThat(r.exit()).as(command + "\n" + r.err()).isZero();
    }
  }

  private static String runningState(String app, String revision) throws Exception {
    return apps.get(app + "/revisions/" + revision).at("/properties/runningState").asText();
  }

  /** A command line split as a shell would split it: words, and "quoted words". */
  static String[] words(String line) {
    List<String> words = new ArrayList<>();
    StringBuilder word = new StringBuilder();
    boolean quoted = false;
    boolean any = false;
    for (char ch : line.toCharArray()) {
      if (ch == '"') {
        quoted = !quoted;
        any = true;
      } else if (ch == ' ' && !quoted) {
        if (any) {
          words.add(word.toString());
        }
        word.setLength(0);
        any = false;
      } else {
        word.append(ch);
        any = true;
      }
    }
    if (any) {
      words.add(word.toString());
    }
    assertThat(words.get(0)).isEqualTo("berth");
    return words.subList(1, words.size()).toArray(String[]::new);
  }

  @Test
  void anIdentityWithoutAcrPullHealsOnceTheRoleIsAssigned() throws Exception {
    String app = appWithIdentity("norole", loginServer + "/api:1", false, loginServer);
    diagnoseFixAndHeal(app, "PULL_ROLE_MISSING", null);
  }

  @Test
  void aRegistryRefusingArmTokensHealsOnceTheyAreEnabled() throws Exception {
    fx.patchRegistry(
        registryId,
        "{\"properties\":{\"policies\":{\"azureADAuthenticationAsArmPolicy\":{\"status\":\"disabled\"}}}}");
    String app = appWithIdentity("armaud", loginServer + "/api:1", true, loginServer);
    diagnoseFixAndHeal(app, "ARM_AUDIENCE_DISABLED", null);
  }

  @Test
  void aNetworkRuleThatLeavesTheEnvironmentOutHealsOnceTheAddressIsAdded() throws Exception {
    fx.patchRegistry(
        registryId, "{\"properties\":{\"networkRuleSet\":{\"defaultAction\":\"Deny\"}}}");
    try {
      String app = appWithIdentity("netrule", loginServer + "/api:1", true, loginServer);
      diagnoseFixAndHeal(app, "ADDRESS_NOT_ALLOWED", null);
    } finally {
      fx.patchRegistry(
          registryId,
          "{\"properties\":{\"networkRuleSet\":{\"defaultAction\":\"Allow\",\"ipRules\":[]}}}");
    }
  }

  @Test
  void aRegistryEntryForAnotherServerHealsOnceTheImagesServerIsSet() throws Exception {
    String app = appWithIdentity("wrongsrv", loginServer + "/api:1", true, "other.example:5000");
    diagnoseFixAndHeal(app, "REGISTRY_SERVER_MISMATCH", null);
  }

  @Test
  void anImageWithoutItsRegistrysPortRunsOnceTheLoginServerIsNamed() throws Exception {
    // As Azure's docs write it: <registry host>/api:1, no port. Berth's registries have their own.
    String host = loginServer.substring(0, loginServer.lastIndexOf(':'));
    String app = appWithIdentity("noport", host + "/api:1", true, host);
    CliRun diagnosed = berth("containerapp", "diagnose", "-n", "noport", "-g", GROUP);
    assertThat(diagnosed.exit()).as(diagnosed.err()).isZero();
    JsonNode finding = Https.JSON.readTree(diagnosed.out()).get(0).path("findings").get(0);
    assertThat(finding.path("code").asText())
        .as(diagnosed.out())
        .isEqualTo("LOGIN_SERVER_PORT_WRONG");

    // The fix names the login server in the registries[] entry and the image: a new revision.
    for (JsonNode line : finding.path("fix").path("berth")) {
      CliRun r = berth(words(line.asText()));
      assertThat(r.exit()).as(line.asText() + "\n" + r.err()).isZero();
    }
    String latest = apps.get(app).at("/properties/latestRevisionName").asText();
    await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(25))
        .until(() -> "Running".equals(runningState(app, latest)));
    apps.deleteApp(app);
  }

  @Test
  void aMissingTagHealsOnceItIsPushed() throws Exception {
    String app = appWithIdentity("notag", loginServer + "/api:2", true, loginServer);
    // The finding's command shows the tags there are; the fix is to push the one named.
    diagnoseFixAndHeal(app, "TAG_NOT_FOUND", finding -> push("api:2"));
  }

  @Test
  void anIdentityDeletedWhileAttachedHealsOnceCreatedGrantedAndAttachedAgain() throws Exception {
    String app = appWithIdentity("deleted", loginServer + "/api:1", true, loginServer, "Succeeded");
    String identity =
        fx.group(GROUP) + "/providers/Microsoft.ManagedIdentity/userAssignedIdentities/deleted-id";
    var deleted = fx.https.send("DELETE", identity + "?api-version=2023-01-31", fx.owner, null);
    assertThat(deleted.statusCode()).as(deleted.body()).isIn(200, 204);
    String revision = apps.revisions(app).get(0).path("name").asText();
    CliRun restarted =
        berth("containerapp", "revision", "restart", "-g", GROUP, "--revision", revision);
    assertThat(restarted.exit()).as(restarted.err()).isZero();
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> "Failed".equals(runningState(app, revision)));

    diagnoseFixAndHeal(
        app,
        "IDENTITY_DELETED",
        finding -> {
          // The first line creates the identity; its new principal id fills the others in.
          String create = finding.path("fix").path("berth").get(0).asText();
          CliRun created = berth(words(create));
          assertThat(created.exit()).as(created.err()).isZero();
          String principal = Https.JSON.readTree(created.out()).path("principalId").asText();
          assertThat(principal).isNotBlank();
          JsonNode rest = finding.deepCopy();
          ((ArrayNode) rest.path("fix").path("berth")).remove(0);
          runFilledIn(rest, "<principalId>", principal);
        });
  }

  @Test
  void anAbacConditionThatLeavesTheRepositoryOutHealsOnceAnAssignmentCoversIt() throws Exception {
    String abac =
        fx.createRegistry(
            GROUP,
            "healabac",
            "{\"adminUserEnabled\":true,\"roleAssignmentMode\":\"AbacRepositoryPermissions\"}");
    String abacServer = fx.loginServer(abac);
    var pushed = fx.push(layout, abacServer, "healabac:" + fx.adminPassword(abac), "api:1");
    assertThat(pushed.exit()).as(pushed.output()).isZero();
    JsonNode identity = apps.createIdentity(GROUP, "abac-id");
    var assign =
        fx.https.send(
            "PUT",
            abac
                + "/providers/Microsoft.Authorization/roleAssignments/"
                + UUID.randomUUID()
                + "?api-version=2022-04-01",
            fx.owner,
            "{\"properties\":{\"roleDefinitionId\":\"/subscriptions/"
                + BERTH.bootstrap().subscriptionId()
                + "/providers/Microsoft.Authorization/roleDefinitions/"
                + BuiltInRoles.REPOSITORY_READER
                + "\",\"principalId\":\""
                + identity.at("/properties/principalId").asText()
                + "\",\"principalType\":\"ServicePrincipal\",\"condition\":\""
                + "@Request[Microsoft.ContainerRegistry/registries/repositories:name]"
                + " StringStartsWithIgnoreCase 'team-a/'\",\"conditionVersion\":\"2.0\"}}");
    assertThat(assign.statusCode()).as(assign.body()).isEqualTo(201);
    String app =
        putApp(
            "abacapp", identity.path("id").asText(), abacServer + "/api:1", abacServer, "Failed");

    diagnoseFixAndHeal(app, "ABAC_CONDITION_EXCLUDES", null);
  }
}
