package dev.berth.autoscaler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.api.app.Template;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The settings come from template.scale with Knative's windows, and refuse what cannot scale. */
class ScaleSettingsTest {

  @Test
  void defaultsAreAcasAndKnatives() {
    ScaleSettings d = ScaleSettings.defaults();

    assertThat(d.minReplicas()).isZero();
    assertThat(d.maxReplicas()).isEqualTo(10);
    assertThat(d.targetPerReplica()).isEqualTo(10);
    assertThat(d.cooldownPeriod()).isEqualTo(Duration.ofSeconds(300));
    assertThat(d.pollingInterval()).isEqualTo(Duration.ofSeconds(30));
    assertThat(d.stableWindow()).isEqualTo(Duration.ofSeconds(60));
    assertThat(d.panicWindow()).isEqualTo(Duration.ofSeconds(6));
    assertThat(d.panicThreshold()).isEqualTo(2.0);
  }

  @Test
  void theTemplatesScaleIsRead() {
    ScaleSettings s =
        ScaleSettings.of(
            new Template.Scale(1, 5, Duration.ofSeconds(60), Duration.ofSeconds(5), 50));

    assertThat(s.minReplicas()).isEqualTo(1);
    assertThat(s.maxReplicas()).isEqualTo(5);
    assertThat(s.concurrentRequests()).isEqualTo(50);
    assertThat(s.cooldownPeriod()).isEqualTo(Duration.ofSeconds(60));
    assertThat(s.pollingInterval()).isEqualTo(Duration.ofSeconds(5));
  }

  @Test
  void aRuleBerthCannotEvaluateKeepsOneReplicaAtLeast() {
    Template.Scale queue =
        new Template.Scale(
            0,
            10,
            Duration.ofSeconds(300),
            Duration.ofSeconds(30),
            10,
            List.of("azureQueue rule 'orders'"));
    assertThat(ScaleSettings.of(queue).minReplicas()).isEqualTo(1);
    assertThat(ScaleSettings.of(new Template.Scale(0, 10)).minReplicas()).isZero();
  }

  @Test
  void aMaximumOfZeroOrBelowTheMinimumIsRaisedToScaleAtAll() {
    assertThat(ScaleSettings.of(new Template.Scale(0, 0)).maxReplicas()).isEqualTo(1);
    assertThat(ScaleSettings.of(new Template.Scale(3, 2)).maxReplicas()).isEqualTo(3);
  }

  @Test
  void settingsThatCannotScaleAreRefused() {
    ScaleSettings d = ScaleSettings.defaults();

    assertThatThrownBy(() -> d.withReplicas(-1, 10)).hasMessageContaining("minReplicas");
    assertThatThrownBy(() -> d.withReplicas(5, 2)).hasMessageContaining("maxReplicas");
    assertThatThrownBy(() -> d.withConcurrentRequests(0, 1)).hasMessageContaining("concurrent");
    assertThatThrownBy(() -> d.withConcurrentRequests(10, 1.5))
        .hasMessageContaining("targetUtilisation");
    assertThatThrownBy(() -> d.withWindows(Duration.ofSeconds(5), Duration.ofSeconds(6), 2))
        .hasMessageContaining("stableWindow");
    assertThatThrownBy(() -> d.withCooldownPeriod(Duration.ofSeconds(-1)))
        .hasMessageContaining("cooldownPeriod");
    assertThatThrownBy(() -> d.withPollingInterval(Duration.ofSeconds(-1)))
        .hasMessageContaining("pollingInterval");
  }
}
