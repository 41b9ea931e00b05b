package dev.berth.api.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.api.ResourceId;
import dev.berth.api.app.ContainerApp.RevisionMode;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Where requests go, rule by rule: weights, latestRevision, Single mode and labels. */
class TrafficTableTest {

  static final ObjectMapper JSON = new ObjectMapper();
  static final ResourceId APP =
      ResourceId.parse(
          "/subscriptions/s1/resourceGroups/rg/providers/Microsoft.App/containerApps/web");

  /** A revision {@code web--<suffix>} made at second {@code created}. */
  static Revision rev(String suffix, int created, RevisionStatus status, boolean active) {
    ObjectNode doc = JSON.createObjectNode();
    ObjectNode p = doc.putObject("properties");
    p.put("createdTime", Instant.ofEpochSecond(created).toString()).put("active", active);
    status.writeTo(p);
    return Revision.of(APP.child("revisions", "web--" + suffix), doc);
  }

  static Revision running(String suffix, int created) {
    return rev(suffix, created, RevisionStatus.RUNNING, true);
  }

  static Revision provisioning(String suffix, int created) {
    return rev(suffix, created, RevisionStatus.PROVISIONING, true);
  }

  static final List<Revision> V1_V2 = List.of(running("v1", 1), running("v2", 2));

  static Stream<Arguments> weights() {
    return Stream.of(
        Arguments.of(
            "Multiple, 20/80 by name",
            RevisionMode.Multiple,
            List.of(TrafficRule.toRevision("web--v1", 20), TrafficRule.toRevision("web--v2", 80)),
            V1_V2,
            Map.of("web--v1", 20, "web--v2", 80)),
        Arguments.of(
            "Multiple, latest follows the newest ready revision",
            RevisionMode.Multiple,
            List.of(TrafficRule.toRevision("web--v1", 30), TrafficRule.toLatest(70)),
            V1_V2,
            Map.of("web--v1", 30, "web--v2", 70)),
        Arguments.of(
            "Multiple, a provisioning newest revision is not the latest ready one",
            RevisionMode.Multiple,
            List.of(TrafficRule.toLatest(100)),
            List.of(running("v1", 1), provisioning("v2", 2)),
            Map.of("web--v1", 100)),
        Arguments.of(
            "Multiple, latest and a name on one revision add up",
            RevisionMode.Multiple,
            List.of(TrafficRule.toRevision("web--v2", 40), TrafficRule.toLatest(60)),
            V1_V2,
            Map.of("web--v2", 100)),
        Arguments.of(
            "Multiple, a new revision gets nothing without a latestRevision rule",
            RevisionMode.Multiple,
            List.of(TrafficRule.toRevision("web--v1", 100)),
            V1_V2,
            Map.of("web--v1", 100)),
        Arguments.of(
            "Multiple, an inactive revision gets nothing",
            RevisionMode.Multiple,
            List.of(TrafficRule.toRevision("web--v1", 50), TrafficRule.toLatest(50)),
            List.of(rev("v1", 1, RevisionStatus.STOPPED, false), running("v2", 2)),
            Map.of("web--v2", 50)),
        Arguments.of(
            "Single, old keeps 100 % while the new one provisions",
            RevisionMode.Single,
            List.of(TrafficRule.toLatest(100)),
            List.of(running("v1", 1), provisioning("v2", 2)),
            Map.of("web--v1", 100)),
        Arguments.of(
            "Single, the new one takes 100 % once it runs, whatever the rules say",
            RevisionMode.Single,
            List.of(TrafficRule.toRevision("web--v1", 100)),
            V1_V2,
            Map.of("web--v2", 100)),
        Arguments.of(
            "Single, a failed new revision leaves the old one serving",
            RevisionMode.Single,
            List.of(TrafficRule.toLatest(100)),
            List.of(running("v1", 1), rev("v2", 2, RevisionStatus.FAILED, true)),
            Map.of("web--v1", 100)),
        Arguments.of(
            "nothing runs yet",
            RevisionMode.Single,
            List.of(TrafficRule.toLatest(100)),
            List.of(provisioning("v1", 1)),
            Map.of()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("weights")
  void eachActiveRevisionGetsItsEffectiveWeight(
      String name,
      RevisionMode mode,
      List<TrafficRule> rules,
      List<Revision> revisions,
      Map<String, Integer> expected) {
    TrafficTable table = TrafficTable.of(mode, rules, revisions);

    assertThat(table.weights()).isEqualTo(expected);
    for (Revision r : revisions) {
      assertThat(table.weightOf(r.name())).isEqualTo(expected.getOrDefault(r.name(), 0));
    }
  }

  @Test
  void pickSplitsAGridOfUInTheWeightsProportions() {
    TrafficTable table =
        TrafficTable.of(
            RevisionMode.Multiple,
            List.of(TrafficRule.toRevision("web--v1", 20), TrafficRule.toRevision("web--v2", 80)),
            V1_V2);

    Map<String, Integer> counts = new HashMap<>();
    for (int i = 0; i < 1000; i++) {
      counts.merge(table.pick(i / 1000.0).orElseThrow(), 1, Integer::sum);
    }

    assertThat(counts).isEqualTo(Map.of("web--v1", 200, "web--v2", 800));
    assertThat(table.pick(0.0)).contains("web--v1");
    assertThat(table.pick(0.2)).contains("web--v2");
    assertThat(table.pick(Math.nextDown(1.0))).contains("web--v2");
  }

  @Test
  void pickSharesOutTheWeightOfATargetThatCannotServe() {
    TrafficTable table =
        TrafficTable.of(
            RevisionMode.Multiple,
            List.of(
                TrafficRule.toRevision("web--v1", 50),
                TrafficRule.toRevision("web--v2", 25),
                TrafficRule.toLatest(25)),
            List.of(running("v1", 1), running("v2", 2), provisioning("v3", 3)));

    // latest = v2 until v3 is ready, so v2 holds 50 of 100
    assertThat(table.weights()).isEqualTo(Map.of("web--v1", 50, "web--v2", 50));
    assertThat(table.pick(0.49)).contains("web--v1");
    assertThat(table.pick(0.5)).contains("web--v2");
  }

  @Test
  void pickHasNothingWhenNoRevisionServesAndRefusesUOutsideTheUnitInterval() {
    TrafficTable none =
        TrafficTable.of(
            RevisionMode.Single,
            List.of(TrafficRule.toLatest(100)),
            List.of(provisioning("v1", 1)));

    assertThat(none.pick(0.5)).isEmpty();
    assertThatThrownBy(() -> none.pick(1.0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> none.pick(-0.1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> none.pick(Double.NaN)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void labelsNameTheirRevisionAndALatestLabelFollowsTheLatestReadyOne() {
    TrafficTable table =
        TrafficTable.of(
            RevisionMode.Multiple,
            List.of(
                TrafficRule.toRevision("web--v1", 100).withLabel("Blue"),
                TrafficRule.toLatest(0).withLabel("green"),
                TrafficRule.toRevision("web--gone", 0).withLabel("orphan")),
            List.of(running("v1", 1), running("v2", 2), provisioning("v3", 3)));

    assertThat(table.labels()).isEqualTo(Map.of("blue", "web--v1", "green", "web--v2"));
    assertThat(table.revisionForLabel("BLUE")).contains("web--v1");
    assertThat(table.revisionForLabel("orphan")).isEmpty();
    assertThat(table.weights()).isEqualTo(Map.of("web--v1", 100));
  }

  @Test
  void theAppViewReadsItsRulesAndMode() {
    ObjectNode doc = JSON.createObjectNode();
    ObjectNode config = doc.putObject("properties").putObject("configuration");
    config.put("activeRevisionsMode", "Multiple");
    config
        .putObject("ingress")
        .putArray("traffic")
        .add(JSON.createObjectNode().put("revisionName", "web--v1").put("weight", 20))
        .add(
            JSON.createObjectNode()
                .put("latestRevision", true)
                .put("weight", 80)
                .put("label", "next"));
    ContainerApp app = ContainerApp.of(APP, doc);

    assertThat(app.traffic())
        .containsExactly(
            TrafficRule.toRevision("web--v1", 20), TrafficRule.toLatest(80).withLabel("next"));
    TrafficTable table = TrafficTable.of(app, V1_V2);
    assertThat(table.weights()).isEqualTo(Map.of("web--v1", 20, "web--v2", 80));
    assertThat(table.latestReadyRevision()).contains("web--v2");
  }
}
