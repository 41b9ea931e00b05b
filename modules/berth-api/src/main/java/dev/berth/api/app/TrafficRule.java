package dev.berth.api.app;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One {@code configuration.ingress.traffic[]} rule of a container app: a share of the app's
 * requests for a named revision or for the latest ready one, optionally under a label that gets its
 * own host name. Immutable.
 *
 * @param revisionName the revision the rule names; empty for a {@code latestRevision} rule
 * @param weight the percentage, 0–100 (the control plane refused anything else)
 * @param latestRevision whether the rule follows the latest ready revision
 * @param label the rule's label, if any
 * @see <a href="https://learn.microsoft.com/azure/container-apps/traffic-splitting">Traffic
 *     splitting in Azure Container Apps</a>
 */
public record TrafficRule(
    Optional<String> revisionName, int weight, boolean latestRevision, Optional<String> label) {

  /** A rule for {@code revisionName}. */
  public static TrafficRule toRevision(String revisionName, int weight) {
    return new TrafficRule(Optional.of(revisionName), weight, false, Optional.empty());
  }

  /** A rule following the latest ready revision. */
  public static TrafficRule toLatest(int weight) {
    return new TrafficRule(Optional.empty(), weight, true, Optional.empty());
  }

  /** This rule under {@code label}. */
  public TrafficRule withLabel(String label) {
    return new TrafficRule(revisionName, weight, latestRevision, Optional.of(label));
  }

  /** The rules of a {@code traffic} array; lenient, as every view (wrong types read as absent). */
  static List<TrafficRule> listOf(JsonNode traffic) {
    List<TrafficRule> out = new ArrayList<>();
    for (JsonNode rule : traffic) {
      out.add(
          new TrafficRule(
              Nodes.text(rule, "revisionName"),
              rule.path("weight").asInt(0),
              rule.path("latestRevision").asBoolean(false),
              Nodes.text(rule, "label")));
    }
    return out;
  }
}
