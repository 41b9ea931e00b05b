package dev.berth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.cli.CliHarness.Result;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code containerapp update --min-replicas --max-replicas --scale-rule-name
 * --scale-rule-http-concurrency}: one merge PATCH of {@code template.scale} whose rules are the one
 * named HTTP rule, as az's update sends.
 */
class ContainerAppScaleCommandTest extends SignedInTest {

  FakeContainerApp aca;

  @BeforeEach
  void start() {
    aca = new FakeContainerApp(cli).serve();
  }

  @Test
  void updateSetsTheBoundsAndReplacesTheRulesWithTheNamedHttpRule() throws Exception {
    Result result =
        cli.run(
            "containerapp",
            "update",
            "-n",
            "api",
            "-g",
            "rg1",
            "--min-replicas",
            "0",
            "--max-replicas",
            "5",
            "--scale-rule-name",
            "http-rule",
            "--scale-rule-http-concurrency",
            "50");

    assertThat(result.exit()).as(result.err()).isZero();
    assertThat(aca.body("PATCH", aca.id))
        .isEqualTo(
            json(
                """
                {"properties":{"template":{"scale":{"minReplicas":0,"maxReplicas":5,
                  "rules":[{"name":"http-rule","http":{"metadata":{"concurrentRequests":"50"}}}]}}}}"""));
    assertThat(cli.berth.requests("GET", aca.operation)).isNotEmpty();
  }

  @Test
  void aRuleNameAloneSendsAnHttpRuleWithAcasDefaultConcurrency() throws Exception {
    Result result = cli.run("containerapp", "update", "-n", "api", "-g", "rg1", "--srn", "web");

    assertThat(result.exit()).as(result.err()).isZero();
    assertThat(aca.body("PATCH", aca.id))
        .isEqualTo(
            json(
                """
                {"properties":{"template":{"scale":{
                  "rules":[{"name":"web","http":{"metadata":{}}}]}}}}"""));
  }

  @Test
  void theShortFormsAreAzs() throws Exception {
    Result result =
        cli.run("containerapp", "update", "-n", "api", "-g", "rg1", "--srn", "w", "--srhc", "7");

    assertThat(result.exit()).as(result.err()).isZero();
    assertThat(aca.body("PATCH", aca.id).at("/properties/template/scale/rules/0/http/metadata"))
        .isEqualTo(json("{\"concurrentRequests\":\"7\"}"));
  }

  @Test
  void aConcurrencyWithoutARuleNameFailsBeforeCallingBerth() {
    Result result =
        cli.run(
            "containerapp",
            "update",
            "-n",
            "api",
            "-g",
            "rg1",
            "--scale-rule-http-concurrency",
            "20");

    assertThat(result.exit()).isEqualTo(1);
    assertThat(result.err())
        .isEqualTo("ERROR: --scale-rule-http-concurrency needs --scale-rule-name.\n");
    assertThat(cli.berth.requests("PATCH", aca.id)).isEmpty();
  }
}
