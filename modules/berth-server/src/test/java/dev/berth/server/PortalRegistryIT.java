package dev.berth.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.api.acr.AuthChallenge;
import dev.berth.client.RegistryClient;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The registry's portal pages on a real Berth, over HTTP, as an Owner and as a Reader: what each
 * blade shows, that a Reader sees no write control and a Reader's forged form gets the API's 403,
 * and that the admin passwords appear only after an explicit Show by someone allowed.
 */
class PortalRegistryIT {

  @RegisterExtension static final RunningBerth BERTH = new RunningBerth();

  static RegistryFixture fx;
  static String registry;
  static String loginServer;
  static String pushedDigest;
  static long pushedImageSize;
  static Principals.Created reader;
  static PortalPages owner;
  static PortalPages readerPages;

  @BeforeAll
  static void registryWithAnImageAndTwoPeople() throws Exception {
    fx = new RegistryFixture(BERTH);
    registry = fx.createRegistry("rg-portal", "portalacr", "{\"adminUserEnabled\":true}");
    loginServer = fx.loginServer(registry);
    pushedDigest = push("hello", "v1");
    reader =
        new Principals(fx.https, fx.boot, fx.owner)
            .withRole(Principals.READER, fx.group("rg-portal"));
    owner = new PortalPages(BERTH, BERTH.portalSession(fx.owner, "owner", fx.boot.objectId()));
    readerPages =
        new PortalPages(BERTH, BERTH.portalSession(reader.token(), "reader", reader.principalId()));
  }

  /** Pushes a one-layer OCI image as the Owner, through the registry's own token flow. */
  static String push(String repository, String tag) throws Exception {
    HttpClient http = HttpClient.newBuilder().sslContext(Https.trusting(BERTH.caFile())).build();
    RegistryClient anonymous = RegistryClient.create(http, loginServer, l -> {});
    AuthChallenge challenge = anonymous.challenge();
    RegistryClient client =
        anonymous.withRefreshToken(anonymous.exchange(challenge, fx.boot.tenantId(), fx.owner));
    Path dir = Files.createTempDirectory(BERTH.dataDir(), "image");
    Path config =
        Files.writeString(
            dir.resolve("config"),
            "{\"architecture\":\"amd64\",\"os\":\"linux\",\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[]}}");
    Path layer =
        Files.write(dir.resolve("layer"), "not really a tar".getBytes(StandardCharsets.UTF_8));
    var c = client.blobs().push(repository, config, (d, t) -> {});
    var l = client.blobs().push(repository, layer, (d, t) -> {});
    String manifest =
        """
        {"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json",
         "config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"%s","size":%d},
         "layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar","digest":"%s","size":%d}]}"""
            .formatted(c.digest(), c.size(), l.digest(), l.size());
    // ACR's imageSize: what a pull moves, the manifest with its config and layers.
    pushedImageSize = manifest.getBytes(StandardCharsets.UTF_8).length + c.size() + l.size();
    return client.putManifest(
        repository,
        tag,
        "application/vnd.oci.image.manifest.v1+json",
        manifest.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void theOverviewShowsTheRegistrysEssentials() throws Exception {
    HttpResponse<String> r = owner.get(blade(""));

    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(r.body())
        .contains(loginServer)
        .contains("Premium")
        .containsPattern("id=\"admin-user\">Enabled")
        .containsPattern("id=\"arm-policy\">Enabled")
        .contains("aria-label=\"portalacr\"") // the blade menu
        .contains(
            "href=\"/portal/resource/subscriptions/"
                + fx.boot.subscriptionId()
                + "/resourceGroups/rg-portal\"");
  }

  @Test
  void theRepositoriesBladeListsTagsWithDigestSizeAndPushTime() throws Exception {
    HttpResponse<String> list = owner.get(blade("repositories"));
    assertThat(list.statusCode()).as(list.body()).isEqualTo(200);
    assertThat(list.body()).contains("?repository=hello\"");

    HttpResponse<String> tags = owner.get(blade("repositories") + "?repository=hello");

    assertThat(tags.statusCode()).as(tags.body()).isEqualTo(200);
    assertThat(tags.body())
        .contains("<th scope=\"row\">v1</th>")
        .contains(pushedDigest)
        .contains("<td>" + pushedImageSize + " B</td>")
        .containsPattern("<td>20\\d\\d-\\d\\d-\\d\\dT");
  }

  @Test
  void aReaderSeesTheTagsTooAsTheRegistryAllowsReaders() throws Exception {
    HttpResponse<String> tags = readerPages.get(blade("repositories") + "?repository=hello");

    assertThat(tags.statusCode()).as(tags.body()).isEqualTo(200);
    assertThat(tags.body()).contains("<th scope=\"row\">v1</th>").contains(pushedDigest);
  }

  @Test
  void aRepositoryNameThatIsNoRepositoryNeverReachesTheRegistry() throws Exception {
    HttpResponse<String> r = owner.get(blade("repositories") + "?repository=..%2F_catalog%3Fn%3D1");

    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.body()).contains("NAME_INVALID");
  }

  @Test
  void theRepositoriesBladeShowsTheRegistrysRefusalInItsOwnWords() throws Exception {
    String strict = fx.createRegistry("rg-portal", "strictacr", "{}");
    fx.patchRegistry(
        strict,
        "{\"properties\":{\"policies\":{\"azureADAuthenticationAsArmPolicy\":{\"status\":\"disabled\"}}}}");

    HttpResponse<String> r = owner.get(PortalPages.page(strict, "repositories"));

    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(r.body())
        .contains("id=\"registry-error\"")
        .contains("UNAUTHORIZED")
        .contains("azureADAuthenticationAsArmPolicy is disabled");
  }

  @Test
  void theAdminPasswordsShowOnlyAfterAnExplicitShow() throws Exception {
    String password = fx.adminPassword(registry);

    HttpResponse<String> page = owner.get(blade("access-keys"));
    assertThat(page.statusCode()).as(page.body()).isEqualTo(200);
    assertThat(page.body()).contains("id=\"show-passwords\"").doesNotContain(password);

    HttpResponse<String> shown = owner.post(blade("access-keys/show"));
    assertThat(shown.statusCode()).as(shown.body()).isEqualTo(200);
    assertThat(shown.body()).contains("id=\"value-password\">" + password + "<");
    assertThat(shown.headers().firstValue("Cache-Control")).hasValue("no-store");
  }

  @Test
  void theOwnerRegeneratesAPasswordAndSeesTheNewValueOnce() throws Exception {
    String before = fx.adminPassword(registry);

    HttpResponse<String> r = owner.post(blade("access-keys/regenerate"), "name", "password");

    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    String after = fx.adminPassword(registry);
    assertThat(after).isNotEqualTo(before);
    assertThat(r.body()).contains("id=\"value-password\">" + after + "<");
    assertThat(owner.get(blade("access-keys")).body()).doesNotContain(after);
  }

  @Test
  void theOwnerTurnsTheAdminUserOffAndTheKeysGoAway() throws Exception {
    String keys = fx.createRegistry("rg-portal", "keysacr", "{\"adminUserEnabled\":true}");
    String page = PortalPages.page(keys, "access-keys");

    HttpResponse<String> off = owner.post(page + "/admin", "enabled", "false");

    assertThat(off.statusCode()).as(off.body()).isEqualTo(303);
    assertThat(fx.registry(keys).path("properties").path("adminUserEnabled").asBoolean()).isFalse();
    assertThat(owner.get(page).body())
        .contains("id=\"admin-user\">Disabled")
        .doesNotContain("show-passwords");
  }

  @Test
  void aReaderSeesNoKeyControlsAndItsForgedShowGetsTheApis403() throws Exception {
    String password = fx.adminPassword(registry);

    assertThat(readersPage("access-keys"))
        .doesNotContain("show-passwords")
        .doesNotContain("toggle-admin")
        .doesNotContain("access-keys/regenerate")
        .doesNotContain(password);

    assertThat(forged("access-keys/show").body()).doesNotContain(password);
    forged("access-keys/regenerate", "name", "password");
    assertThat(fx.adminPassword(registry)).isEqualTo(password);
  }

  @Test
  void theOwnerTurnsTheArmTokenPolicyOffAndOnAgain() throws Exception {
    HttpResponse<String> off = owner.post(blade("policies"), policies("disabled", "false"));
    assertThat(off.statusCode()).as(off.body()).isEqualTo(303);
    assertThat(policy()).isEqualTo("disabled");
    assertThat(owner.get(blade("policies")).body())
        .containsPattern("id=\"arm-policy\"><span class=\"warn\">Disabled");

    owner.post(blade("policies"), policies("enabled", "false"));
    assertThat(policy()).isEqualTo("enabled");
  }

  @Test
  void aReaderSeesNoPolicyFormAndItsForgedSaveGetsTheApis403() throws Exception {
    assertThat(readersPage("policies"))
        .contains("id=\"arm-policy\"")
        .doesNotContain("policies-form");

    forged("policies", policies("disabled", "true"));
    assertThat(policy()).isEqualTo("enabled");
  }

  @Test
  void theOwnerAddsAndRemovesAnIpRule() throws Exception {
    String networking = blade("networking");
    assertThat(owner.post(networking + "/ip-rules/add", "value", "203.0.113.0/24").statusCode())
        .isEqualTo(303);
    assertThat(owner.get(networking).body()).contains("<th scope=\"row\">203.0.113.0/24</th>");
    assertThat(fx.registry(registry).path("properties").path("networkRuleSet").path("ipRules"))
        .hasSize(1);

    assertThat(owner.post(networking + "/ip-rules/remove", "value", "203.0.113.0/24").statusCode())
        .isEqualTo(303);
    assertThat(owner.get(networking).body()).contains("id=\"no-ip-rules\"");
  }

  @Test
  void aBadIpRuleGetsTheApisOwnError() throws Exception {
    HttpResponse<String> r = owner.post(blade("networking/ip-rules/add"), "value", "300.1.1.1");

    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.body()).contains("InvalidParameter");
  }

  @Test
  void aReaderSeesNoNetworkingFormsAndItsForgedRuleGetsTheApis403() throws Exception {
    assertThat(readersPage("networking"))
        .doesNotContain("networking-form")
        .doesNotContain("add-ip-rule");

    forged("networking/ip-rules/add", "value", "198.51.100.7");
  }

  @Test
  void theOwnerAssignsAndRemovesARoleFromTheAccessControlBlade() throws Exception {
    String iam = blade("access-control");
    HttpResponse<String> page = owner.get(iam);
    assertThat(page.statusCode()).as(page.body()).isEqualTo(200);
    assertThat(page.body())
        .contains("id=\"add-role-assignment\"")
        .contains(">AcrPull</option>")
        .contains("Resource group (inherited)") // the Reader's
        .contains("owner (you)");
    String acrPull = roleDefinition(RegistryFixture.ACR_PULL);

    HttpResponse<String> add =
        owner.post(iam + "/add", "role", acrPull, "principalId", reader.principalId());
    assertThat(add.statusCode()).as(add.body()).isEqualTo(303);
    String after = owner.get(iam).body();
    assertThat(after).contains("<th scope=\"row\">AcrPull</th>").contains("This resource");

    String assignment = assignmentHere();
    assertThat(owner.post(iam + "/remove", "assignment", assignment).statusCode()).isEqualTo(303);
    assertThat(owner.get(iam).body()).doesNotContain("<th scope=\"row\">AcrPull</th>");
  }

  @Test
  void theAccessControlBladeRemovesOnlyAssignmentsMadeAtTheRegistry() throws Exception {
    JsonNode inherited =
        Https.json(
                fx.https.send(
                    "GET",
                    fx.group("rg-portal")
                        + "/providers/Microsoft.Authorization/roleAssignments?api-version=2022-04-01"
                        + "&$filter=atScope()",
                    fx.owner,
                    null))
            .path("value");
    String groupAssignment = "";
    for (JsonNode a : inherited) {
      if (a.path("properties").path("scope").asText().equalsIgnoreCase(fx.group("rg-portal"))) {
        groupAssignment = a.path("id").asText();
      }
    }
    assertThat(groupAssignment).isNotEmpty();

    HttpResponse<String> r =
        owner.post(blade("access-control/remove"), "assignment", groupAssignment);

    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.body()).contains("InvalidRoleAssignmentId");
    assertThat(
            fx.https
                .send("GET", groupAssignment + "?api-version=2022-04-01", fx.owner, null)
                .statusCode())
        .isEqualTo(200);
  }

  @Test
  void aReaderSeesNoAccessControlFormsAndItsForgedAssignmentGetsTheApis403() throws Exception {
    assertThat(readersPage("access-control"))
        .contains("id=\"role-assignments\"")
        .doesNotContain("add-role-assignment")
        .doesNotContain("access-control/remove");

    forged(
        "access-control/add",
        "role",
        roleDefinition(Principals.OWNER),
        "principalId",
        reader.principalId());
  }

  /** The registry's blade {@code path} in the portal. */
  private static String blade(String path) {
    return PortalPages.page(registry, path);
  }

  /** The registry's blade {@code path} as the Reader sees it, which it may always see. */
  private static String readersPage(String path) throws Exception {
    HttpResponse<String> page = readerPages.get(blade(path));
    assertThat(page.statusCode()).as(page.body()).isEqualTo(200);
    return page.body();
  }

  /** The Reader's forged form to the registry's blade {@code path}, which the API refuses. */
  private static HttpResponse<String> forged(String path, String... fieldsAndValues)
      throws Exception {
    HttpResponse<String> forged = readerPages.post(blade(path), fieldsAndValues);
    assertThat(forged.statusCode()).isEqualTo(403);
    assertThat(forged.body()).contains("AuthorizationFailed");
    return forged;
  }

  /** The Policies blade's form fields. */
  private static String[] policies(String armPolicy, String anonymousPull) {
    return new String[] {"armPolicy", armPolicy, "anonymousPull", anonymousPull};
  }

  private static String roleDefinition(String id) {
    return "/subscriptions/"
        + fx.boot.subscriptionId()
        + "/providers/Microsoft.Authorization/roleDefinitions/"
        + id;
  }

  private static String policy() throws Exception {
    return fx.registry(registry)
        .path("properties")
        .path("policies")
        .path("azureADAuthenticationAsArmPolicy")
        .path("status")
        .asText();
  }

  private static String assignmentHere() throws Exception {
    JsonNode list =
        Https.json(
            fx.https.send(
                "GET",
                registry
                    + "/providers/Microsoft.Authorization/roleAssignments?api-version=2022-04-01",
                fx.owner,
                null));
    for (JsonNode a : list.path("value")) {
      if (a.path("properties").path("scope").asText().equalsIgnoreCase(registry)) {
        return a.path("id").asText();
      }
    }
    throw new AssertionError("no assignment at the registry: " + list);
  }
}
