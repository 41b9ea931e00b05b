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
    assertThat(az.sent.subList(4, az.sent.size() - 1))
        .isNotEmpty()
        .allMatch(s -> s.startsWith("GET /subscriptions/" + sub + "/providers/Microsoft.App/"));
    assertThat(az.sent.getLast()).isEqualTo("GET " + id);
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

    JsonNode app = image.apps().get(id);
    assertThat(
            app.at("/properties/configuration/ingress").isMissingNode()
                || app.at("/properties/configuration/ingress").isNull())
        .as(app.toString())
        .isTrue();
    assertThat(app.at("/properties/latestRevisionFqdn").asText()).isEmpty();
    assertThat(image.apps().revisions(id)).as("ingress makes no revision").hasSize(1);
    assertThat(app.at("/properties/provisioningState").asText()).isEqualTo("Succeeded");
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
}
