package dev.berth.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Edits of an app's {@code ingress.traffic[]} as {@code az containerapp ingress traffic set} and
 * {@code revision label} make them, checked before anything is sent: weights are whole numbers
 * 0–100 whose sum may not pass 100, a label weight goes to its label's revision, and the rules not
 * named share what is left in proportion to their weights so the whole adds up to 100. Not
 * thread-safe (works on the array it is given).
 */
final class TrafficEdits {

  /** The word {@code --revision-weight} takes for the {@code latestRevision} rule. */
  static final String LATEST = "latest";

  private final ArrayNode rules;

  TrafficEdits(ArrayNode rules) {
    this.rules = rules;
  }

  /**
   * Parses {@code NAME=WEIGHT} pairs (names lower-cased for matching, as az does).
   *
   * @throws CliFailure naming the pair that is not {@code NAME=WEIGHT} or whose weight is not 0–100
   */
  static Map<String, Integer> weights(List<String> pairs, String option) {
    Map<String, Integer> out = new LinkedHashMap<>();
    for (String pair : pairs == null ? List.<String>of() : pairs) {
      int eq = pair.indexOf('=');
      if (eq <= 0) {
        throw new CliFailure(
            option + " takes NAME=WEIGHT pairs, such as app--v1=20 latest=80; got '" + pair + "'.");
      }
      String weight = pair.substring(eq + 1).strip();
      int w;
      try {
        w = Integer.parseInt(weight);
      } catch (NumberFormatException e) {
        w = -1;
      }
      if (w < 0 || w > 100) {
        throw new CliFailure(
            "Traffic weights must be whole numbers from 0 to 100; got '" + weight + "'.");
      }
      out.put(pair.substring(0, eq).strip(), w);
    }
    return out;
  }

  /**
   * Turns each label weight into a weight for the revision its rule names ({@link #LATEST} for a
   * {@code latestRevision} rule), unless that revision already has one.
   */
  Map<String, Integer> withLabelWeights(
      Map<String, Integer> revisionWeights, Map<String, Integer> labelWeights) {
    Map<String, Integer> out = new LinkedHashMap<>(revisionWeights);
    List<String> unknown = new ArrayList<>();
    for (Map.Entry<String, Integer> e : labelWeights.entrySet()) {
      Optional<ObjectNode> rule = labelled(e.getKey());
      if (rule.isEmpty()) {
        unknown.add(e.getKey());
        continue;
      }
      out.putIfAbsent(target(rule.get()), e.getValue());
    }
    if (!unknown.isEmpty()) {
      throw new CliFailure("No traffic rule has the label(s) " + String.join(", ", unknown) + ".");
    }
    return out;
  }

  /**
   * Sets the weights given (a new rule for a revision that has none) and scales the others to fill
   * 100.
   */
  void set(Map<String, Integer> weights) {
    int given = weights.values().stream().mapToInt(Integer::intValue).sum();
    if (given > 100) {
      throw new CliFailure(
          "Traffic weights may not add up to more than 100; these add up to " + given + ".");
    }
    List<ObjectNode> others = new ArrayList<>();
    for (JsonNode r : rules) {
      if (!hasKeyIgnoringCase(weights, target(r))) {
        others.add((ObjectNode) r);
      }
    }
    for (Map.Entry<String, Integer> e : weights.entrySet()) {
      ruleFor(e.getKey()).put("weight", e.getValue());
    }
    fill(others, 100 - given);
  }

  /** Puts {@code label} on {@code revision}'s rule (a new rule of weight 0 when it has none). */
  void addLabel(String label, String revision, boolean move) {
    Optional<ObjectNode> holder = labelled(label);
    if (holder.isPresent()) {
      if (target(holder.get()).equalsIgnoreCase(revision)) {
        return;
      }
      if (!move) {
        throw new CliFailure(
            "The label '"
                + label
                + "' is on "
                + target(holder.get())
                + "; pass --yes to move it to "
                + revision
                + ".");
      }
      holder.get().remove("label");
    }
    ruleFor(revision).put("label", label);
  }

  /** Takes {@code label} off its rule. */
  void removeLabel(String label) {
    labelled(label)
        .orElseThrow(() -> new CliFailure("No traffic rule has the label '" + label + "'."))
        .remove("label");
  }

  /**
   * {@code rest} shared out over {@code others} in proportion to their weights (largest
   * remainders).
   */
  private static void fill(List<ObjectNode> others, int rest) {
    int before = others.stream().mapToInt(r -> r.path("weight").asInt(0)).sum();
    if (before == 0) {
      if (rest > 0) {
        throw new CliFailure(
            "Traffic weights must add up to 100; these add up to "
                + (100 - rest)
                + " and no other rule has weight to scale. Give the rest to a revision, such as"
                + " latest="
                + rest
                + ".");
      }
      return;
    }
    int placed = 0;
    double[] remainders = new double[others.size()];
    for (int i = 0; i < others.size(); i++) {
      double exact = (double) rest * others.get(i).path("weight").asInt(0) / before;
      int floor = (int) Math.floor(exact);
      others.get(i).put("weight", floor);
      remainders[i] = exact - floor;
      placed += floor;
    }
    for (; placed < rest; placed++) {
      int best = 0;
      for (int i = 1; i < remainders.length; i++) {
        if (remainders[i] > remainders[best]) {
          best = i;
        }
      }
      remainders[best] = -1;
      ObjectNode r = others.get(best);
      r.put("weight", r.path("weight").asInt(0) + 1);
    }
  }

  private ObjectNode ruleFor(String revision) {
    for (JsonNode r : rules) {
      if (target(r).equalsIgnoreCase(revision)) {
        return (ObjectNode) r;
      }
    }
    ObjectNode added = rules.addObject();
    if (revision.equalsIgnoreCase(LATEST)) {
      added.put("latestRevision", true);
    } else {
      added.put("revisionName", revision);
    }
    return added.put("weight", 0);
  }

  private Optional<ObjectNode> labelled(String label) {
    for (JsonNode r : rules) {
      if (r.path("label").asText("").equalsIgnoreCase(label)) {
        return Optional.of((ObjectNode) r);
      }
    }
    return Optional.empty();
  }

  /** The revision a rule names, or {@link #LATEST}. */
  private static String target(JsonNode rule) {
    return rule.path("latestRevision").asBoolean(false)
        ? LATEST
        : rule.path("revisionName").asText("");
  }

  private static boolean hasKeyIgnoringCase(Map<String, Integer> weights, String name) {
    return weights.keySet().stream()
        .anyMatch(k -> k.toLowerCase(Locale.ROOT).equals(name.toLowerCase(Locale.ROOT)));
  }
}
