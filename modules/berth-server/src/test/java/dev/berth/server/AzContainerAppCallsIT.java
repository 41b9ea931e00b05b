package dev.berth.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The {@code az containerapp} extension's own request sequences for ingress, traffic, labels,
 * revision mode and scale (docs/az-containerapp.md), replayed against Berth on runc: each answer
 * has the status az accepts, az's polling ends, and what az would print is what ACA would show.
 * Each test makes its own app from one pushed image.
 */
class AzContainerAppCallsIT {

  @RegisterExtension
  static final RunningBerth BERTH = RunningBerth.withReplicas("10.214.12.0/24", "baz");

  static HttpdImage image;
  static AzCalls az;

  @BeforeAll
  static void pushAnImage() throws Exception {
    image = HttpdImage.push(BERTH, "az", "azacr");
    az = new AzCalls(image.fx().https, image.fx().owner, BERTH.bootstrap().subscriptionId());
  }

  static String create(String name) throws Exception {
    String id = image.fx().group("az") + "/providers/Microsoft.App/containerApps/" + name;
    JsonNode op = image.apps().putApp(id, image.appBody());
    assertThat(op.path("status").asText()).as(op.toString()).isEqualTo("Succeeded");
    return id;
  }

  @Test
  void ingressEnableShowAndDisableAreApplicationScopeAndKeepTheSecrets() throws Exception {
    String id = create("az-ingress");
    AzContainerApp cmd = new AzContainerApp(az, id);
    String domain = image.apps().get(image.environment()).at("/properties/defaultDomain").asText();

    az.sent.clear();
    JsonNode enabled = cmd.ingressEnable("external", 8080);

    String sub = BERTH.bootstrap().subscriptionId();
    assertThat(az.sent.subList(0, 4))
        .containsExactly(
            "GET /subscriptions/" + sub + "/providers/Microsoft.App",
            "GET " + id,
            "POST " + id + "/listSecrets",
            "PUT " + id);
    // A PUT on an existing app answers 200, as ARM does: az uses that body, with no polling.
    assertThat(az.sent).hasSize(4);
    assertThat(enabled.path("fqdn").asText()).isEqualTo("az-ingress." + domain);
    assertThat(enabled.path("external").asBoolean()).isTrue();
    assertThat(enabled.path("targetPort").asInt()).isEqualTo(8080);
    assertThat(enabled.path("transport").asText()).isEqualTo("auto");
    assertThat(enabled.path("traffic").toString())
        .isEqualTo("[{\"weight\":100,\"latestRevision\":true}]");
    assertThat(cmd.ingressShow()).isEqualTo(enabled);
    JsonNode secrets =
        Https.json(
            image
                .fx()
                .https
                .send("POST", id + "/listSecrets" + AppFixture.APP_API, image.fx().owner, null));
    assertThat(secrets.at("/value/0/value").asText()).isEqualTo(image.password());

    cmd.ingressDisable();

    // The PUT answered 200 with the change under way (InProgress), as ACA answers an update;
    // it settles behind the answer.
    JsonNode app = image.apps().awaitApp(id, "Succeeded");
    assertThat(
            app.at("/properties/configuration/ingress").isMissingNode()
                || app.at("/properties/configuration/ingress").isNull())
        .as(app.toString())
        .isTrue();
    assertThat(app.at("/properties/latestRevisionFqdn").asText()).isEmpty();
    assertThat(image.apps().revisions(id)).as("ingress makes no revision").hasSize(1);
  }

  @Test
  void trafficIsSplitAndLabelledAcrossTwoRevisionsInMultipleMode() throws Exception {
    String id = create("az-traffic");
    AzContainerApp cmd = new AzContainerApp(az, id);
    cmd.ingressEnable("external", 8080);
    String first = image.apps().get(id).at("/properties/latestRevisionName").asText();

    assertThat(cmd.setMode("Multiple")).isEqualTo("Multiple");
    ObjectNode updated = cmd.updateScale(1, 3, "web", 50);
    String second = updated.at("/properties/latestRevisionName").asText();
    assertThat(second).isNotEqualTo(first);

    JsonNode split = cmd.trafficSet(first + "=20", "latest=80");

    assertThat(split.toString())
        .isEqualTo(
            "[{\"weight\":80,\"latestRevision\":true},{\"revisionName\":\""
                + first
                + "\",\"weight\":20}]");
    assertThat(cmd.trafficShow()).isEqualTo(split);
    assertThat(weights(id)).containsEntry(first, 20).containsEntry(second, 80);

    JsonNode labelled = cmd.labelAdd(first, "blue");
    assertThat(labelled).as("the label goes on the rule of %s, no second rule", first).hasSize(2);
    assertThat(labelled.get(1).path("label").asText()).isEqualTo("blue");

    JsonNode moved = cmd.labelAdd(second, "blue");
    assertThat(moved).hasSize(3);
    assertThat(moved.get(1).has("label")).as(moved.toString()).isFalse();
    assertThat(moved.get(2).path("revisionName").asText()).isEqualTo(second);
    assertThat(moved.get(2).path("label").asText()).isEqualTo("blue");

    JsonNode removed = cmd.labelRemove("blue");
    assertThat(removed.toString()).doesNotContain("label");
    // A later label command reads every rule's label: no null may be left for it to trip on.
    assertThat(cmd.labelAdd(first, "green").get(1).path("label").asText()).isEqualTo("green");

    assertThatThrownBy(() -> az.revisionAction(id, first, "deactivate"))
        .isInstanceOfSatisfying(
            AzCalls.AzError.class,
            e -> {
              assertThat(e.status).isEqualTo(400);
              assertThat(e.code).isEqualTo("BadRequest");
            })
        .hasMessageContaining("20%");
  }

  @Test
  void updateSetsScaleAndAnHttpRuleAsACAStoresThem() throws Exception {
    String id = create("az-scale");
    AzContainerApp cmd = new AzContainerApp(az, id);

    az.sent.clear();
    ObjectNode app = cmd.updateScale(2, 5, "web", 30);

    assertThat(az.sent.get(2)).isEqualTo("PATCH " + id);
    JsonNode scale = app.at("/properties/template/scale");
    assertThat(scale.path("minReplicas").asInt()).isEqualTo(2);
    assertThat(scale.path("maxReplicas").asInt()).isEqualTo(5);
    assertThat(scale.at("/rules/0/name").asText()).isEqualTo("web");
    assertThat(scale.at("/rules/0/http/metadata/concurrentRequests").asText()).isEqualTo("30");
    assertThat(app.at("/properties/template").has("revisionSuffix")).isFalse();
    assertThat(app.at("/properties/provisioningState").asText()).isEqualTo("Succeeded");
    JsonNode revision = az.showRevision(id, app.at("/properties/latestRevisionName").asText());
    assertThat(revision.at("/properties/template/scale/maxReplicas").asInt()).isEqualTo(5);
    assertThat(revision.at("/properties/runningState").asText()).isEqualTo("Running");
  }

  /** Each revision's {@code trafficWeight}, as {@code az containerapp revision list} shows it. */
  static Map<String, Integer> weights(String appId) throws Exception {
    Map<String, Integer> weights = new HashMap<>();
    for (JsonNode r : image.apps().revisions(appId)) {
      weights.put(r.path("name").asText(), r.at("/properties/trafficWeight").asInt());
    }
    return weights;
  }

  /**
   * {@code az containerapp create --image <acr>/api:1 --registry-server <acr> --registry-identity
   * <identity id>} (extension 0.3.41, az 2.53's create): the extension refuses a server without
   * {@code .azurecr.io} before sending anything; Berth's login servers are {@code
   * <name>.azurecr.io.localhost:<port>}, so it goes on. It reads the identity, finds the registry
   * by the name before the last {@code .azurecr.io}, gives the identity AcrPull on it (Graph is not
   * there: az assumes the id is an object id), reads the environment and PUTs the app with the
   * identity and {@code registries[{server, identity}]}; Berth's puller then pulls through the
   * name, with no DNS set up.
   */
  @Test
  void createWithARegistryIdentityPassesTheExtensionsCheckAndPullsThroughTheName()
      throws Exception {
    String server = image.loginServer();
    // _validators.validate_create: ACR_IMAGE_SUFFIX in registry_server.
    assertThat(server).contains(".azurecr.io");
    String sub = BERTH.bootstrap().subscriptionId();
    String group = image.fx().group("az");
    JsonNode identity = image.apps().createIdentity("az", "az-pull");
    String identityId = identity.path("id").asText();

    az.sent.clear();
    az.checkRegistered();
    // create_acrpull_role_assignment: the identity's principal, then acr_show by name.
    String principal =
        az.get(identityId + "?api-version=2023-01-31").at("/properties/principalId").asText();
    String registryName = server.substring(0, server.lastIndexOf(".azurecr.io"));
    JsonNode found =
        az.get(
            "/subscriptions/"
                + sub
                + "/resources?$filter=resourceType%20eq%20'Microsoft.ContainerRegistry/registries'"
                + "&api-version=2022-09-01");
    String registryId = null;
    for (JsonNode r : found.path("value")) {
      if (r.path("name").asText().equalsIgnoreCase(registryName)) {
        registryId = r.path("id").asText();
      }
    }
    assertThat(registryId).as("acr_show finds " + registryName).isNotNull();
    assertThat(
            az.get(registryId + "?api-version=2022-02-01-preview")
                .at("/properties/loginServer")
                .asText())
        .isEqualTo(server);
    // create_role_assignment(role="acrpull", assignee=principal, scope=registry).
    String role =
        az.get(
                registryId
                    + "/providers/Microsoft.Authorization/roleDefinitions?$filter=roleName%20eq%20'acrpull'"
                    + "&api-version=2022-04-01")
            .at("/value/0/id")
            .asText();
    az.putOnce(
        registryId
            + "/providers/Microsoft.Authorization/roleAssignments/"
            + java.util.UUID.randomUUID()
            + "?api-version=2022-04-01",
        "{\"properties\":{\"roleDefinitionId\":\""
            + role
            + "\",\"principalId\":\""
            + principal
            + "\"}}");
    az.get(image.environment() + "?api-version=" + AzCalls.PREVIEW);
    String id = group + "/providers/Microsoft.App/containerApps/az-identity";
    ObjectNode body =
        (ObjectNode)
            Https.JSON.readTree(
                """
                {"location":"local",
                 "identity":{"type":"UserAssigned","userAssignedIdentities":{"%s":{}}},
                 "properties":{"environmentId":"%s",
                   "configuration":{"secrets":null,"activeRevisionsMode":"single","ingress":null,
                     "dapr":null,"registries":[{"server":"%s","username":null,"passwordSecretRef":null,"identity":"%s"}]},
                   "template":{"revisionSuffix":null,"containers":[{"image":"%s","name":"az-identity",
                     "resources":{"cpu":0.25,"memory":"0.5Gi"}}],
                     "scale":{"minReplicas":1,"maxReplicas":1,"rules":null}}}}
                """
                    .formatted(identityId, image.environment(), server, identityId, image.image()));
    ObjectNode created = az.put(id, body, AzCalls.PREVIEW);

    assertThat(created.at("/properties/provisioningState").asText()).isEqualTo("Succeeded");
    assertThat(created.at("/properties/configuration/registries/0/server").asText())
        .isEqualTo(server);
    String revision = created.at("/properties/latestReadyRevisionName").asText();
    assertThat(revision).as("a revision ran: Berth pulled through " + server).isNotEmpty();
    assertThat(az.sent.getFirst())
        .isEqualTo("GET /subscriptions/" + sub + "/providers/Microsoft.App");
    assertThat(az.sent).contains("PUT " + id).endsWith("GET " + id);
  }
}
