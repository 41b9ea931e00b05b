package dev.berth.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.identity.BuiltInRoles;
import dev.berth.registry.testing.OciLayouts;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 14, points 2 and 3, over HTTP on real runc: a container app's Overview, Revisions and Edit
 * and deploy blades, driven as an Owner, a Contributor and a Reader. The seed's save (the system
 * identity turned on, the registry's check, the AcrPull offer, the new revision running), then the
 * ARM-token policy off and a restart: the diagnosis on both blades with its fix button for the
 * Owner only, a Reader's forged fix refused in the API's words, and the Owner's click healing the
 * same revision.
 */
class PortalContainerAppIT {

  @RegisterExtension
  static final RunningBerth BERTH =
      RunningBerth.withReplicas("10.214.41.0/24", "ptl").withIngress();

  private static final String GROUP = "portal";

  static RegistryFixture fx;
  static AppFixture apps;
  static String registryId;
  static String loginServer;
  static String appId;
  static PortalPages owner;
  static PortalPages contributor;
  static PortalPages reader;
  static String password;

  @BeforeAll
  static void anAppPullingWithAdminCredentials() throws Exception {
    Preconditions.requireRootAndTools("runc", "ip", "skopeo");
    fx = new RegistryFixture(BERTH);
    apps = new AppFixture(fx);
    registryId = fx.createRegistry(GROUP, "portalacr", "{\"adminUserEnabled\":true}");
    loginServer = fx.loginServer(registryId);
    Path layout = Files.createTempDirectory(BERTH.dataDir(), "image");
    OciLayouts.busybox(
        layout,
        "v1",
        List.of(OciLayouts.File.of("www/index.html", "hello from the portal\n")),
        List.of("httpd", "-f", "-p", "8080", "-h", "/www"));
    String creds = "portalacr:" + fx.adminPassword(registryId);
    for (String ref : List.of("api:1", "api:2")) {
      var pushed = fx.push(layout, loginServer, creds, ref);
      assertThat(pushed.exit()).as(pushed.output()).isZero();
    }
    password = fx.adminPassword(registryId);
    String environment = apps.createEnvironment(GROUP, "env");
    appId = fx.group(GROUP) + "/providers/Microsoft.App/containerApps/web";
    JsonNode op =
        apps.putApp(
            appId,
            """
            {"location":"local","properties":{"environmentId":"%s",
              "configuration":{"activeRevisionsMode":"Single",
                "secrets":[{"name":"acr-password","value":"%s"}],
                "registries":[{"server":"%s","username":"portalacr","passwordSecretRef":"acr-password"}],
                "ingress":{"external":true,"targetPort":8080,"allowInsecure":true}},
              "template":{"terminationGracePeriodSeconds":1,"containers":[{"name":"api",
                "image":"%s/api:1","resources":{"cpu":0.25,"memory":"0.5Gi"}}],
                "scale":{"minReplicas":1,"maxReplicas":1}}}}
            """
                .formatted(environment, password, loginServer, loginServer));
    assertThat(op.path("status").asText()).as(op.toString()).isEqualTo("Succeeded");

    owner = new PortalPages(BERTH, BERTH.portalSession(fx.owner, "owner", fx.boot.objectId()));
    contributor = sessionWithRole(BuiltInRoles.CONTRIBUTOR, "contributor");
    reader = sessionWithRole(BuiltInRoles.READER, "reader");
  }

  @AfterAll
  static void deleteTheApp() throws Exception {
    if (apps != null && appId != null) {
      apps.deleteApp(appId);
    }
  }

  private static PortalPages sessionWithRole(String role, String user) throws Exception {
    String[] sp = fx.principalWithRole(role, fx.group(GROUP), null);
    String token = fx.https.token(fx.boot.tenantId(), sp[0], sp[1], fx.boot.managementEndpoint());
    return new PortalPages(BERTH, BERTH.portalSession(token, user, sp[0]));
  }

  /** What the app's ingress answers for {@code host}, over the ingress' HTTP port. */
  private static String answer(String host) throws Exception {
    org.eclipse.jetty.client.HttpClient jetty = new org.eclipse.jetty.client.HttpClient();
    jetty.start();
    try {
      var r =
          jetty
              .newRequest("http://127.0.0.1:" + BERTH.server().ingressHttpPort() + "/")
              .headers(h -> h.put("Host", host))
              .timeout(30, java.util.concurrent.TimeUnit.SECONDS)
              .send();
      assertThat(r.getStatus()).as(r.getContentAsString()).isEqualTo(200);
      return r.getContentAsString();
    } finally {
      jetty.stop();
    }
  }

  private static String page(String blade) {
    return PortalPages.page(appId, blade);
  }

  private static String[] deployFields(String decision) {
    return deployFields("api", "2", "0.25", "0.5Gi", decision);
  }

  /**
   * Edit and deploy's form: the Berth registry's api:{@code tag}, pulled with the system identity.
   */
  private static String[] deployFields(
      String container, String tag, String cpu, String memory, String decision) {
    return new String[] {
      "container", container,
      "source", "berth",
      "registry", registryId,
      "repository", "api",
      "tag", tag,
      "auth", "identity",
      "identity", "system",
      "cpu", cpu,
      "memory", memory,
      "decision", decision
    };
  }

  private static String latestRevision() throws Exception {
    return apps.get(appId).at("/properties/latestRevisionName").asText();
  }

  @Test
  void theSeedsSaveThenADiagnosisFixedWithOneClick() throws Exception {
    // The Overview and the pickers, filled from the registry itself.
    HttpResponse<String> overview = owner.get(page(""));
    assertThat(overview.statusCode()).as(overview.body()).isEqualTo(200);
    assertThat(overview.body()).contains("Application URL", "web.env.", "Latest revision");
    HttpResponse<String> edit = owner.get(page("containers"));
    assertThat(edit.statusCode()).as(edit.body()).isEqualTo(200);
    assertThat(edit.body()).contains("<option value=\"api\"", "portalacr (" + loginServer + ")");
    HttpResponse<String> tags =
        owner.get(
            page("containers/tags")
                + "?registry="
                + PortalPages.enc(registryId)
                + "&repository=api");
    assertThat(tags.body()).contains("<option value=\"1\"", "<option value=\"2\"");
    assertThat(edit.body()).contains("id=\"save\"");
    assertThat(reader.get(page("containers")).body()).doesNotContain("id=\"save\"");

    // A Contributor saves with the system identity: it is turned on, the registry says it cannot
    // pull, and the page names the missing assignment and who may make it, with no offer.
    HttpResponse<String> denied = contributor.post(page("containers"), deployFields("save"));
    assertThat(denied.statusCode()).as(denied.body()).isEqualTo(409);
    String principal = apps.get(appId).at("/identity/principalId").asText();
    assertThat(principal).isNotEmpty();
    assertThat(denied.body())
        .contains("AcrPull", principal, registryId, "Owner or User Access Administrator")
        .doesNotContain("id=\"assign-acrpull\"");

    // The Owner gets the offer, accepts it: AcrPull is assigned, the new revision runs.
    String before = latestRevision();
    HttpResponse<String> offer = owner.post(page("containers"), deployFields("save"));
    assertThat(offer.statusCode()).as(offer.body()).isEqualTo(409);
    assertThat(offer.body()).contains("id=\"assign-acrpull\"", "Assign AcrPull to");
    HttpResponse<String> saved = owner.post(page("containers"), deployFields("assign"));
    assertThat(saved.statusCode()).as(saved.body()).isEqualTo(303);
    // The saved page watches past a Failed state: the save's revision may not be the latest yet.
    String savedPage = saved.headers().firstValue("Location").orElseThrow();
    assertThat(owner.get(savedPage).body()).contains("status?watch=15");
    await().atMost(Duration.ofSeconds(30)).until(() -> !latestRevision().equals(before));
    String revision = latestRevision();
    String revisionId = appId + "/revisions/" + revision;
    apps.awaitRevision(revisionId, "Provisioned", "Running");
    assertThat(owner.get(page("status")).body()).contains("Running").doesNotContain("every 2s");
    assertThat(apps.get(appId).at("/properties/template/containers/0/image").asText())
        .isEqualTo(loginServer + "/api:2");
    // The URL the Overview links to answers from the new revision.
    String fqdn = apps.get(appId).at("/properties/configuration/ingress/fqdn").asText();
    int port = BERTH.server().ingressHttpsPort();
    assertThat(owner.get(page("")).body()).contains("href=\"https://" + fqdn + ":" + port + "/\"");
    assertThat(answer(fqdn)).contains("hello from the portal");

    // The registry stops taking ARM tokens; a restart from the Revisions blade fails the pull.
    fx.patchRegistry(
        registryId,
        "{\"properties\":{\"policies\":{\"azureADAuthenticationAsArmPolicy\":{\"status\":\"disabled\"}}}}");
    HttpResponse<String> restarted =
        owner.post(page("revisions/" + revision + "/restart"), "x", "y");
    assertThat(restarted.statusCode()).as(restarted.body()).isEqualTo(303);
    apps.awaitRevision(revisionId, "Failed", "Failed");

    // After a restart the page watches the failed revision a while (it may heal in place).
    assertThat(owner.get(page("revisions") + "?restarted=1").body()).contains("status?watch=15");
    assertThat(owner.get(page("status") + "?watch=2").body())
        .contains("Failed", "every 2s", "status?watch=1");
    assertThat(owner.get(page("status")).body()).contains("Failed").doesNotContain("every 2s");

    // The diagnosis where the error shows, with its fix for the Owner only.
    for (String blade : List.of("", "revisions")) {
      String ownerPage = owner.get(page(blade)).body();
      assertThat(ownerPage)
          .contains("data-code=\"ARM_AUDIENCE_DISABLED\"", "data-fix=\"arm-policy\"");
      String readerPage = reader.get(page(blade)).body();
      assertThat(readerPage)
          .contains("data-code=\"ARM_AUDIENCE_DISABLED\"")
          .doesNotContain("data-fix=");
    }
    assertThat(reader.get(page("revisions")).body()).doesNotContain(">Restart<");

    // A Reader who forges the forms gets the API's refusal in its own words.
    HttpResponse<String> forgedFix =
        reader.post(page("fix"), "kind", "arm-policy", "target", registryId);
    assertThat(forgedFix.statusCode()).isEqualTo(403);
    assertThat(forgedFix.body()).contains("AuthorizationFailed");
    HttpResponse<String> forgedRestart =
        reader.post(page("revisions/" + revision + "/restart"), "x", "y");
    assertThat(forgedRestart.statusCode()).isEqualTo(403);
    assertThat(forgedRestart.body()).contains("AuthorizationFailed");

    // The Owner's click: the same revision runs again, no new revision.
    HttpResponse<String> fixed =
        owner.post(page("fix"), "kind", "arm-policy", "target", registryId, "back", "revisions");
    assertThat(fixed.statusCode()).as(fixed.body()).isEqualTo(303);
    apps.awaitRevision(revisionId, "Provisioned", "Running");
    assertThat(latestRevision()).isEqualTo(revision);
    assertThat(owner.get(page("")).body()).doesNotContain("data-code=");

    // The seed's own cause: the identity loses AcrPull. The button assigns it; the same revision
    // runs again.
    for (JsonNode a :
        Https.json(
                fx.https.send(
                    "GET",
                    registryId
                        + "/providers/Microsoft.Authorization/roleAssignments?$filter="
                        + PortalPages.enc("principalId eq '" + principal + "'")
                        + "&api-version=2022-04-01",
                    fx.owner,
                    null))
            .path("value")) {
      fx.https.send("DELETE", a.path("id").asText() + "?api-version=2022-04-01", fx.owner, null);
    }
    assertThat(owner.post(page("revisions/" + revision + "/restart"), "x", "y").statusCode())
        .isEqualTo(303);
    apps.awaitRevision(revisionId, "Failed", "Failed");
    String failed = owner.get(page("diagnose")).body();
    assertThat(failed).contains("data-code=\"PULL_ROLE_MISSING\"", "data-fix=\"acr-pull\"");
    assertThat(reader.get(page("diagnose")).body())
        .contains("data-code=\"PULL_ROLE_MISSING\"")
        .doesNotContain("data-fix=");
    HttpResponse<String> forgedGrant =
        reader.post(page("fix"), "kind", "acr-pull", "target", registryId, "principal", principal);
    assertThat(forgedGrant.statusCode()).isEqualTo(403);
    assertThat(forgedGrant.body()).contains("AuthorizationFailed");
    HttpResponse<String> granted =
        owner.post(page("fix"), "kind", "acr-pull", "target", registryId, "principal", principal);
    assertThat(granted.statusCode()).as(granted.body()).isEqualTo(303);
    apps.awaitRevision(revisionId, "Provisioned", "Running");
    assertThat(latestRevision()).isEqualTo(revision);
  }

  @Test
  void identitySecretsLogsAndDiagnoseBladesShowOnlyWhatTheRoleAllows() throws Exception {
    // A user-assigned identity attached and removed from the Identity blade.
    String uami = apps.createIdentity(GROUP, "extra-id").path("id").asText();
    assertThat(owner.post(page("identity/user"), "action", "add", "id", uami).statusCode())
        .isEqualTo(303);
    assertThat(owner.get(page("identity")).body()).contains(">extra-id</a>");
    assertThat(owner.post(page("identity/user"), "action", "remove", "id", uami).statusCode())
        .isEqualTo(303);
    assertThat(apps.get(appId).path("identity").path("userAssignedIdentities").size()).isZero();
    String identity = owner.get(page("identity")).body();
    assertThat(identity).contains("System assigned", "the system-assigned identity</button>");
    assertThat(reader.get(page("identity")).body())
        .contains("System assigned")
        .doesNotContain("the system-assigned identity</button>");

    // Secrets are names; a value only through the reveal, for those listSecrets allows.
    String secrets = owner.get(page("secrets")).body();
    assertThat(secrets).contains("acr-password", "id=\"reveal-secrets\"").doesNotContain(password);
    assertThat(owner.post(page("secrets/reveal"), "x", "y").body()).contains(password);
    assertThat(reader.get(page("secrets")).body())
        .contains("acr-password")
        .doesNotContain("id=\"reveal-secrets\"")
        .doesNotContain(password);
    HttpResponse<String> forged = reader.post(page("secrets/reveal"), "x", "y");
    assertThat(forged.statusCode()).isEqualTo(403);
    assertThat(forged.body()).contains("AuthorizationFailed").doesNotContain(password);

    // The system log through a getAuthToken token, which a Reader may not get.
    String logs = owner.get(page("logstream")).body();
    assertThat(logs).contains("id=\"log-lines\"");
    Matcher console = Pattern.compile("<option value=\"([^\"]+/api)\">Console").matcher(logs);
    assertThat(console.find()).as(logs).isTrue();
    HttpResponse<String> consoleLines =
        owner.get(page("logstream/lines") + "?source=" + PortalPages.enc(console.group(1)));
    assertThat(consoleLines.statusCode()).as(consoleLines.body()).isEqualTo(200);
    assertThat(consoleLines.body()).doesNotContain("The stream answered");
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () -> owner.get(page("logstream/lines") + "?source=system").body().contains("Reason"));
    HttpResponse<String> readerLogs = reader.get(page("logstream/lines") + "?source=system");
    assertThat(readerLogs.statusCode()).isEqualTo(403);
    assertThat(readerLogs.body()).contains("AuthorizationFailed");

    // Scale and Ingress and traffic: the forms for those who may write, read-only for a Reader.
    assertThat(owner.get(page("scale")).body()).contains("Minimum replicas", "Save (makes");
    assertThat(reader.get(page("scale")).body()).doesNotContain("Save (makes");
    assertThat(owner.get(page("ingress")).body())
        .contains("Latest revision", "name=\"ruleWeight\"");
    HttpResponse<String> traffic =
        owner.post(
            page("ingress"),
            "external",
            "true",
            "targetPort",
            "8080",
            "ruleRevision",
            "",
            "ruleWeight",
            "100",
            "ruleLabel",
            "prod");
    assertThat(traffic.statusCode()).as(traffic.body()).isEqualTo(303);
    assertThat(apps.get(appId).at("/properties/configuration/ingress/traffic/0/label").asText())
        .isEqualTo("prod");

    HttpResponse<String> diagnose = reader.get(page("diagnose"));
    assertThat(diagnose.statusCode()).as(diagnose.body()).isEqualTo(200);
    assertThat(diagnose.body()).contains("Diagnose and solve problems");
  }

  @Test
  void anAppCreatedWithTheSystemIdentityGetsTheAcrPullOfferAndRuns() throws Exception {
    String create =
        "/portal/resource" + fx.group(GROUP) + "/providers/Microsoft.App/createContainerApp";
    String form = owner.get(create).body();
    assertThat(form).contains("portalacr (" + loginServer + ")", ">env</option>");
    String environment = fx.group(GROUP) + "/providers/Microsoft.App/managedEnvironments/env";
    HttpResponse<String> created =
        owner.post(
            create,
            "name",
            "made",
            "environment",
            environment,
            "source",
            "berth",
            "registry",
            registryId,
            "repository",
            "api",
            "tag",
            "1",
            "auth",
            "identity",
            "targetPort",
            "8080");
    assertThat(created.statusCode()).as(created.body()).isEqualTo(303);
    String made = fx.group(GROUP) + "/providers/Microsoft.App/containerApps/made";
    assertThat(created.headers().firstValue("Location"))
        .hasValue("/portal/resource" + made + "/containers?check=1");
    try {
      String offer = owner.get("/portal/resource" + made + "/containers?check=1").body();
      assertThat(offer).contains("id=\"assign-acrpull\"");
      HttpResponse<String> accepted =
          owner.post(
              "/portal/resource" + made + "/containers",
              deployFields("made", "1", "0.5", "1Gi", "assign"));
      assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(303);
      String revision = apps.get(made).at("/properties/latestRevisionName").asText();
      apps.awaitRevision(made + "/revisions/" + revision, "Provisioned", "Running");
      assertThat(apps.get(made).at("/properties/latestRevisionName").asText()).isEqualTo(revision);
    } finally {
      apps.deleteApp(made);
    }
  }
}
