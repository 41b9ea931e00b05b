package dev.berth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.cli.CliHarness.Result;
import dev.berth.client.FakeBerth.Response;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code containerapp ingress enable|disable|show}, {@code ingress traffic set|show}. */
class ContainerAppTrafficCommandTest extends SignedInTest {

  FakeContainerApp aca;

  @BeforeEach
  void start() {
    aca = new FakeContainerApp(cli).serve();
    cli.berth.on(
        "GET",
        aca.id + "/revisions",
        r ->
            Response.json(
                200,
                "{\"value\":[{\"name\":\"api--v1\"},{\"name\":\"api--v2\"},{\"name\":\"api--v3\"}]}"));
  }

  /** Multiple mode with {@code rules} as the stored traffic. */
  private void multiple(String rules) {
    ObjectNode config = (ObjectNode) aca.app.at("/properties/configuration");
    config.put("activeRevisionsMode", "Multiple");
    ((ObjectNode) config.get("ingress"))
        .set("traffic", FakeContainerApp.parse("{\"t\":" + rules + "}").get("t"));
  }

  /** What the PUT sent: revision (or "latest") → weight, and the labels. */
  private Map<String, String> sent() {
    Map<String, String> out = new LinkedHashMap<>();
    for (JsonNode r : aca.body("PUT", aca.id).at("/properties/configuration/ingress/traffic")) {
      String target =
          r.path("latestRevision").asBoolean() ? "latest" : r.path("revisionName").asText();
      out.put(
          target,
          r.path("weight").asText() + (r.has("label") ? " " + r.path("label").asText() : ""));
    }
    return out;
  }

  private Result traffic(String... args) {
    String[] all = new String[args.length + 8];
    System.arraycopy(
        new String[] {"containerapp", "ingress", "traffic", "set", "-n", "api", "-g", "rg1"},
        0,
        all,
        0,
        8);
    System.arraycopy(args, 0, all, 8, args.length);
    return cli.run(all);
  }

  @Test
  void aRevisionWeightTakesItsShareFromTheOtherRules() {
    multiple("[{\"revisionName\":\"api--v1\",\"weight\":100}]");

    Result r = traffic("--revision-weight", "api--v2=20");

    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(sent()).containsExactly(Map.entry("api--v1", "80"), Map.entry("api--v2", "20"));
    assertThat(aca.body("PUT", aca.id).at("/properties/configuration/secrets/0/value").asText())
        .isEqualTo("pw");
  }

  @Test
  void theRestIsSharedInProportionAndAddsUpTo100() {
    multiple(
        "[{\"revisionName\":\"api--v1\",\"weight\":50},{\"revisionName\":\"api--v2\",\"weight\":50}]");

    Result r = traffic("--revision-weight", "latest=5");

    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(sent())
        .containsExactly(
            Map.entry("api--v1", "48"), Map.entry("api--v2", "47"), Map.entry("latest", "5"));
  }

  @Test
  void aLabelWeightGoesToItsLabelsRevision() {
    multiple("[{\"revisionName\":\"api--v1\",\"weight\":100,\"label\":\"blue\"}]");

    Result r = traffic("--revision-weight", "latest=80", "--label-weight", "blue=20");

    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(sent()).containsExactly(Map.entry("api--v1", "20 blue"), Map.entry("latest", "80"));
  }

  @Test
  void badWeightsAreRefusedBeforeAnythingIsSent() {
    multiple("[{\"revisionName\":\"api--v1\",\"weight\":100,\"label\":\"blue\"}]");

    assertThat(traffic("--revision-weight", "api--v1=60", "latest=50").err())
        .contains("more than 100");
    assertThat(traffic("--revision-weight", "api--v1=abc").err()).contains("0 to 100");
    assertThat(traffic("--revision-weight", "api--v1=-5").err()).contains("0 to 100");
    assertThat(traffic("--revision-weight", "api--v1").err()).contains("NAME=WEIGHT");
    assertThat(traffic("--revision-weight", "api--v9=10").err())
        .contains("'api--v9' is not a revision");
    assertThat(traffic("--label-weight", "green=10").err()).contains("label(s) green");
    assertThat(traffic("--revision-weight", "api--v1=90").err())
        .contains("no other rule has weight");
    assertThat(traffic().err()).contains("--revision-weight");
    assertThat(cli.berth.requests("PUT", aca.id)).isEmpty();
  }

  @Test
  void singleModeIsRefusedWithTheWayOut() {
    Result r = traffic("--revision-weight", "latest=100");

    assertThat(r.exit()).isNotZero();
    assertThat(r.err()).contains("Single revision mode").contains("set-mode --mode multiple");
    assertThat(cli.berth.requests("PUT", aca.id)).isEmpty();
  }

  @Test
  void showPrintsTheRules() {
    multiple("[{\"latestRevision\":true,\"weight\":100}]");

    Result r = cli.run("containerapp", "ingress", "traffic", "show", "-n", "api", "-g", "rg1");

    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.json().get(0).path("weight").asInt()).isEqualTo(100);
  }

  @Test
  void enableSetsIngressKeepingItsTrafficAndDisableDropsIt() {
    multiple("[{\"latestRevision\":true,\"weight\":100}]");

    Result on =
        cli.run(
            "containerapp",
            "ingress",
            "enable",
            "-n",
            "api",
            "-g",
            "rg1",
            "--type",
            "internal",
            "--target-port",
            "9090",
            "--transport",
            "http");

    assertThat(on.exit()).as(on.err()).isZero();
    JsonNode ingress = aca.body("PUT", aca.id).at("/properties/configuration/ingress");
    assertThat(ingress.path("external").asBoolean()).isFalse();
    assertThat(ingress.path("targetPort").asInt()).isEqualTo(9090);
    assertThat(ingress.path("transport").asText()).isEqualTo("http");
    assertThat(ingress.path("traffic").size()).isEqualTo(1);
    assertThat(ingress.has("fqdn")).isFalse();

    Result off = cli.run("containerapp", "ingress", "disable", "-n", "api", "-g", "rg1");
    assertThat(off.exit()).as(off.err()).isZero();
    assertThat(cli.berth.requests("PUT", aca.id).get(1).body()).doesNotContain("ingress");

    Result show = cli.run("containerapp", "ingress", "show", "-n", "api", "-g", "rg1");
    assertThat(show.exit()).isNotZero();
    assertThat(show.err()).contains("ingress enable");
    assertThat(
            cli.run(
                    "containerapp",
                    "ingress",
                    "enable",
                    "-n",
                    "api",
                    "-g",
                    "rg1",
                    "--type",
                    "public",
                    "--target-port",
                    "1")
                .err())
        .contains("'external' or 'internal'");
  }
}
