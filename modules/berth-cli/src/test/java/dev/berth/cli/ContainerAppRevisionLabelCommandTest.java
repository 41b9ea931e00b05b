package dev.berth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.cli.CliHarness.Result;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code containerapp revision label add|remove} and {@code revision set-mode}. */
class ContainerAppRevisionLabelCommandTest extends SignedInTest {

  FakeContainerApp aca;

  @BeforeEach
  void start() {
    aca = new FakeContainerApp(cli).serve();
    ((ObjectNode) aca.app.at("/properties/configuration/ingress"))
        .set(
            "traffic",
            FakeContainerApp.parse(
                    "{\"t\":[{\"revisionName\":\"api--v1\",\"weight\":100,\"label\":\"blue\"}]}")
                .get("t"));
  }

  private JsonNode sentTraffic(int put) {
    return FakeContainerApp.parse(cli.berth.requests("PUT", aca.id).get(put).body())
        .at("/properties/configuration/ingress/traffic");
  }

  @Test
  void addPutsTheLabelOnTheRevisionsRuleOrANewRuleOfWeightZero() {
    Result r =
        cli.run(
            "containerapp",
            "revision",
            "label",
            "add",
            "-g",
            "rg1",
            "--revision",
            "api--v2",
            "--label",
            "green");

    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(sentTraffic(0).get(1).toString())
        .isEqualTo("{\"revisionName\":\"api--v2\",\"weight\":0,\"label\":\"green\"}");
    assertThat(sentTraffic(0).get(0).path("label").asText()).isEqualTo("blue");
  }

  @Test
  void aLabelMovesOnlyWithYes() {
    Result refused =
        cli.run(
            "containerapp",
            "revision",
            "label",
            "add",
            "-g",
            "rg1",
            "--revision",
            "api--v2",
            "--label",
            "blue");
    assertThat(refused.exit()).isNotZero();
    assertThat(refused.err()).contains("is on api--v1").contains("--yes");
    assertThat(cli.berth.requests("PUT", aca.id)).isEmpty();

    Result moved =
        cli.run(
            "containerapp",
            "revision",
            "label",
            "add",
            "-g",
            "rg1",
            "--revision",
            "api--v2",
            "--label",
            "blue",
            "--yes");
    assertThat(moved.exit()).as(moved.err()).isZero();
    assertThat(sentTraffic(0).get(0).has("label")).isFalse();
    assertThat(sentTraffic(0).get(1).path("label").asText()).isEqualTo("blue");
  }

  @Test
  void removeTakesTheLabelOff() {
    Result r =
        cli.run(
            "containerapp",
            "revision",
            "label",
            "remove",
            "-n",
            "api",
            "-g",
            "rg1",
            "--label",
            "blue");

    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(sentTraffic(0).get(0).toString())
        .isEqualTo("{\"revisionName\":\"api--v1\",\"weight\":100}");
    assertThat(
            cli.run(
                    "containerapp",
                    "revision",
                    "label",
                    "remove",
                    "-n",
                    "api",
                    "-g",
                    "rg1",
                    "--label",
                    "none")
                .err())
        .contains("No traffic rule has the label 'none'");
  }

  @Test
  void setModeWritesTheModeInAcasCasing() {
    Result r =
        cli.run(
            "containerapp", "revision", "set-mode", "-n", "api", "-g", "rg1", "--mode", "multiple");

    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(aca.body("PUT", aca.id).at("/properties/configuration/activeRevisionsMode").asText())
        .isEqualTo("Multiple");
    assertThat(r.out()).contains("Multiple");
    assertThat(
            cli.run(
                    "containerapp",
                    "revision",
                    "set-mode",
                    "-n",
                    "api",
                    "-g",
                    "rg1",
                    "--mode",
                    "labels")
                .err())
        .contains("'single' or 'multiple'");
  }
}
