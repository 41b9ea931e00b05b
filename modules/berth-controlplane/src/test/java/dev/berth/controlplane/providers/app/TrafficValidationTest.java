package dev.berth.controlplane.providers.app;

import static dev.berth.controlplane.providers.app.AppFixture.APPS;
import static dev.berth.controlplane.providers.app.AppFixture.V;
import static dev.berth.controlplane.providers.app.AppFixture.app;
import static dev.berth.controlplane.providers.app.AppFixture.configuration;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.controlplane.support.ArmServer.Reply;
import dev.berth.http.Json;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Bad {@code ingress.traffic} rules are ARM 400s naming the field, on PUT and on PATCH, never 5xx:
 * weights, a missing or inactive revision, labels on nothing, duplicate labels, latestRevision with
 * a name.
 */
class TrafficValidationTest {

  private static AppFixture f;

  @BeforeAll
  static void start() throws Exception {
    f = new AppFixture();
    ObjectNode body = app();
    ((ObjectNode) body.at("/properties/template")).put("revisionSuffix", "v1");
    configuration(body).put("activeRevisionsMode", "Multiple");
    configuration(body).putObject("ingress").put("targetPort", 80).put("external", true);
    assertThat(f.put("app1", body).status()).isEqualTo(201);
    f.running("app1", "app1--v1");
    f.arm.settled(APPS + "/app1" + V);
  }

  @AfterAll
  static void stop() throws Exception {
    f.close();
  }

  static ObjectNode rule(ArrayNode traffic, int weight) {
    return traffic.addObject().put("weight", weight);
  }

  static Stream<Arguments> badRules() {
    return Stream.of(
        bad(
            "weights add up to 90",
            t -> {
              rule(t, 40).put("revisionName", "app1--v1");
              rule(t, 50).put("latestRevision", true);
            },
            "properties.configuration.ingress.traffic",
            "add up to 90"),
        bad(
            "weights add up to 110",
            t -> {
              rule(t, 60).put("revisionName", "app1--v1");
              rule(t, 50).put("latestRevision", true);
            },
            "properties.configuration.ingress.traffic",
            "add up to 110"),
        bad(
            "a negative weight",
            t -> {
              rule(t, -10).put("revisionName", "app1--v1");
              rule(t, 110).put("latestRevision", true);
            },
            "properties.configuration.ingress.traffic[0].weight",
            "-10"),
        bad(
            "a weight above 100",
            t -> rule(t, 101).put("latestRevision", true),
            "properties.configuration.ingress.traffic[0].weight",
            "101 is not between 0 and 100"),
        bad(
            "a weight written as text that is no number",
            t -> t.addObject().put("weight", "most").put("latestRevision", true),
            "properties.configuration.ingress.traffic[0].weight",
            "Does not conform"),
        bad(
            "a rule that names nothing",
            t -> {
              rule(t, 100).put("latestRevision", true);
              rule(t, 0);
            },
            "properties.configuration.ingress.traffic[1]",
            "latestRevision true or a revisionName"),
        bad(
            "a weight that is no whole number",
            t -> t.addObject().put("weight", 99.5).put("latestRevision", true),
            "properties.configuration.ingress.traffic[0].weight",
            "Does not conform"),
        bad(
            "a revision that does not exist",
            t -> rule(t, 100).put("revisionName", "app1--nope"),
            "properties.configuration.ingress.traffic[0].revisionName",
            "'app1--nope' does not exist"),
        bad(
            "a label on no revision",
            t -> {
              rule(t, 100).put("latestRevision", true);
              rule(t, 0).put("label", "blue");
            },
            "properties.configuration.ingress.traffic[1].label",
            "on no revision"),
        bad(
            "a label on a missing revision",
            t -> {
              rule(t, 100).put("latestRevision", true);
              rule(t, 0).put("revisionName", "app1--gone").put("label", "blue");
            },
            "properties.configuration.ingress.traffic[1].revisionName",
            "'app1--gone' does not exist"),
        bad(
            "duplicate labels",
            t -> {
              rule(t, 50).put("latestRevision", true).put("label", "blue");
              rule(t, 50).put("revisionName", "app1--v1").put("label", "blue");
            },
            "properties.configuration.ingress.traffic[1].label",
            "more than one rule"),
        bad(
            "a label that makes <app>---<label> longer than a host name's label",
            t -> rule(t, 100).put("revisionName", "app1--v1").put("label", "l".repeat(60)),
            "properties.configuration.ingress.traffic[0].label",
            "at most 63"),
        bad(
            "a label that cannot be a host name",
            t -> rule(t, 100).put("revisionName", "app1--v1").put("label", "blue_green"),
            "properties.configuration.ingress.traffic[0].label",
            "blue_green"),
        bad(
            "latestRevision together with a revisionName",
            t -> rule(t, 100).put("latestRevision", true).put("revisionName", "app1--v1"),
            "properties.configuration.ingress.traffic[0]",
            "not both"),
        bad(
            "latestRevision not a boolean",
            t -> rule(t, 100).put("latestRevision", "yes"),
            "properties.configuration.ingress.traffic[0].latestRevision",
            "Does not conform"));
  }

  private static Arguments bad(String what, Consumer<ArrayNode> rules, String target, String says) {
    return Arguments.of(what, rules, target, says);
  }

  @ParameterizedTest(name = "PUT: {0}")
  @MethodSource("badRules")
  void aBadRuleInAPutIs400NamingTheField(
      String what, Consumer<ArrayNode> rules, String target, String says) throws Exception {
    ObjectNode body = f.get("app1").json().deepCopy();
    ArrayNode traffic =
        ((ObjectNode) body.at("/properties/configuration/ingress")).putArray("traffic");
    rules.accept(traffic);

    Reply r = f.put("app1", body);

    assertRefused(r, target, says);
  }

  @ParameterizedTest(name = "PATCH: {0}")
  @MethodSource("badRules")
  void aBadRuleInAPatchIs400NamingTheField(
      String what, Consumer<ArrayNode> rules, String target, String says) throws Exception {
    ObjectNode patch = Json.object();
    ArrayNode traffic =
        patch
            .putObject("properties")
            .putObject("configuration")
            .putObject("ingress")
            .putArray("traffic");
    rules.accept(traffic);

    Reply r = f.arm.send("PATCH", APPS + "/app1" + V, "owner", patch.toString());

    assertRefused(r, target, says);
  }

  @Test
  void aRuleMayNameTheRevisionItsOwnWriteCreates() throws Exception {
    ObjectNode body = f.get("app1").json().deepCopy();
    ((ObjectNode) body.at("/properties/template")).put("revisionSuffix", "v2");
    ArrayNode traffic =
        ((ObjectNode) body.at("/properties/configuration/ingress")).putArray("traffic");
    rule(traffic, 50).put("revisionName", "app1--v1");
    rule(traffic, 50).put("revisionName", "app1--v2").put("label", "next");

    Reply r = f.put("app1", body);

    assertThat(r.status()).as(r.raw().body()).isEqualTo(200);
    f.running("app1", "app1--v2");
    assertThat(
            f.arm.settled(APPS + "/app1" + V).json().at("/properties/provisioningState").asText())
        .isEqualTo("Succeeded");
  }

  @Test
  void weightForAnInactiveRevisionIsRefusedInMultipleModeOnly() throws Exception {
    ObjectNode first = app();
    ((ObjectNode) first.at("/properties/template")).put("revisionSuffix", "v1");
    configuration(first).put("activeRevisionsMode", "Multiple");
    configuration(first).putObject("ingress").put("targetPort", 80);
    assertThat(f.put("app2", first).status()).isEqualTo(201);
    f.running("app2", "app2--v1");
    f.arm.settled(APPS + "/app2" + V);
    ObjectNode body = f.get("app2").json().deepCopy();
    ((ObjectNode) body.at("/properties/template")).put("revisionSuffix", "v3");
    ArrayNode traffic =
        ((ObjectNode) body.at("/properties/configuration/ingress")).putArray("traffic");
    rule(traffic, 100).put("latestRevision", true);
    rule(traffic, 0).put("revisionName", "app2--v1");
    assertThat(f.put("app2", body).status()).isEqualTo(200);
    f.running("app2", "app2--v3");
    f.arm.settled(APPS + "/app2" + V);
    Reply off = f.arm.send("POST", APPS + "/app2/revisions/app2--v1/deactivate" + V, "owner", "");
    assertThat(off.status()).as(off.raw().body()).isEqualTo(200);
    // Deactivating writes the app's observed state behind the answer: read it once that settled,
    // or the PUT below sends back a provisioningState that is no longer the stored one.
    f.arm.settled(APPS + "/app2" + V);

    ObjectNode again = f.get("app2").json().deepCopy();
    ((ObjectNode) again.at("/properties/configuration/ingress/traffic/0")).put("weight", 90);
    ((ObjectNode) again.at("/properties/configuration/ingress/traffic/1")).put("weight", 10);
    assertRefused(
        f.put("app2", again),
        "properties.configuration.ingress.traffic[1].revisionName",
        "'app2--v1' is inactive");

    ((ObjectNode) again.at("/properties/configuration")).put("activeRevisionsMode", "Single");
    Reply single = f.put("app2", again);
    assertThat(single.status()).as(single.raw().body()).isIn(200, 201);
    // As above: the write's operation must end before its document is sent back.
    f.arm.settled(APPS + "/app2" + V);
    ((ObjectNode) again.at("/properties/configuration")).put("activeRevisionsMode", "Multiple");
    again.withArray("/properties/configuration/ingress/traffic").remove(1);
    ((ObjectNode) again.at("/properties/configuration/ingress/traffic/0")).put("weight", 100);
    Reply back = f.put("app2", again);
    assertThat(back.status()).as(back.raw().body()).isIn(200, 201);
  }

  /**
   * What az 2.53 sends back after reading the rules: {@code ingress traffic set} writes each weight
   * it changes as a string, {@code revision label remove} sends {@code "label": null}, and its own
   * new rules carry {@code "latestRevision": false}. ACA takes them; Berth stores the tidy form.
   */
  @Test
  void theRulesAzSendsBackAreTakenAndStoredTidy() throws Exception {
    ObjectNode patch = Json.object();
    ArrayNode traffic =
        patch
            .putObject("properties")
            .putObject("configuration")
            .putObject("ingress")
            .putArray("traffic");
    traffic.addObject().put("latestRevision", true).put("weight", "80").putNull("label");
    traffic
        .addObject()
        .put("revisionName", "app1--v1")
        .put("weight", "20")
        .put("latestRevision", false)
        .put("label", "blue");

    Reply r = f.arm.send("PATCH", APPS + "/app1" + V, "owner", patch.toString());

    assertThat(r.status()).as(r.raw().body()).isIn(200, 202);
    ArrayNode stored =
        (ArrayNode)
            f.arm
                .settled(APPS + "/app1" + V)
                .json()
                .at("/properties/configuration/ingress/traffic");
    assertThat(stored.get(0).toString()).isEqualTo("{\"latestRevision\":true,\"weight\":80}");
    assertThat(stored.get(1).toString())
        .isEqualTo("{\"revisionName\":\"app1--v1\",\"weight\":20,\"label\":\"blue\"}");
  }

  private static void assertRefused(Reply r, String target, String says) {
    assertThat(r.status()).as(r.raw().body()).isEqualTo(400);
    assertThat(r.json().at("/error/target").asText()).isEqualTo(target);
    assertThat(r.json().at("/error/message").asText()).contains(says);
  }
}
