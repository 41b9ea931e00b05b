package dev.berth.api.app;

import dev.berth.api.app.ContainerApp.RevisionMode;
import java.time.Instant;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Where a container app's requests go: each active revision's effective weight, the revision each
 * label names, and a weighted choice for the ingress. {@code latestRevision} rules follow the
 * latest <em>ready</em> revision (the newest active one that runs), so a new revision gets traffic
 * only once it is ready; in Single mode that revision gets all of it, whatever the rules say, and
 * the one before keeps 100 % until then. Pure: computed once from the app and its revisions;
 * immutable and thread-safe.
 *
 * @see <a href="https://learn.microsoft.com/azure/container-apps/revisions">Revisions: "the old
 *     revision stays active … until the new revision is ready"</a>
 * @see <a href="https://learn.microsoft.com/azure/container-apps/traffic-splitting">Traffic
 *     splitting</a>
 */
public final class TrafficTable {

  private final Optional<String> latestReady;
  // revision name (as the revision document spells it) → percentage; rule order, no zeros
  private final Map<String, Integer> weights;
  private final Map<String, String> labels;
  private final List<String> order;
  private final int total;

  private TrafficTable(
      Optional<String> latestReady, Map<String, Integer> weights, Map<String, String> labels) {
    this.latestReady = latestReady;
    this.weights = Collections.unmodifiableMap(new LinkedHashMap<>(weights));
    this.labels = Collections.unmodifiableMap(new LinkedHashMap<>(labels));
    this.total = weights.values().stream().mapToInt(Integer::intValue).sum();
    this.order = List.copyOf(weights.keySet());
  }

  /** The table of {@code app} over its {@code revisions} (any order). */
  public static TrafficTable of(ContainerApp app, List<Revision> revisions) {
    return of(app.activeRevisionsMode(), app.traffic(), revisions);
  }

  public static TrafficTable of(
      RevisionMode mode, List<TrafficRule> rules, List<Revision> revisions) {
    Map<String, Revision> active = new LinkedHashMap<>();
    for (Revision r : revisions) {
      if (r.active()) {
        active.put(key(r.name()), r);
      }
    }
    Optional<String> latestReady =
        active.values().stream()
            .filter(Revision::isRunning)
            .max(Comparator.comparing((Revision r) -> r.createdTime().orElse(Instant.EPOCH)))
            .map(Revision::name);
    Map<String, Integer> weights = new LinkedHashMap<>();
    Map<String, String> labels = new LinkedHashMap<>();
    for (TrafficRule rule : rules) {
      Optional<String> target =
          rule.latestRevision()
              ? latestReady
              : rule.revisionName().map(n -> active.get(key(n))).map(Revision::name);
      if (target.isEmpty()) {
        continue; // the latest is not ready yet, or the revision is inactive: it cannot serve
      }
      rule.label().ifPresent(l -> labels.put(l.toLowerCase(Locale.ROOT), target.get()));
      if (mode == RevisionMode.Multiple && rule.weight() > 0) {
        weights.merge(target.get(), rule.weight(), Integer::sum);
      }
    }
    if (mode == RevisionMode.Single) {
      latestReady.ifPresent(r -> weights.put(r, 100));
    }
    return new TrafficTable(latestReady, weights, labels);
  }

  /** The newest active revision that runs, which {@code latestRevision} rules follow. */
  public Optional<String> latestReadyRevision() {
    return latestReady;
  }

  /** The percentage of the app's requests {@code revision} gets now; 0 when it gets none. */
  public int weightOf(String revision) {
    for (Map.Entry<String, Integer> e : weights.entrySet()) {
      if (e.getKey().equalsIgnoreCase(revision)) {
        return e.getValue();
      }
    }
    return 0;
  }

  /** Each revision that gets requests, with its percentage, in rule order. */
  public Map<String, Integer> weights() {
    return weights;
  }

  /** Label (lower-case) → the revision it names now. */
  public Map<String, String> labels() {
    return labels;
  }

  /** The revision {@code label} names now (labels compare case-insensitively, as host names). */
  public Optional<String> revisionForLabel(String label) {
    return Optional.ofNullable(labels.get(label.toLowerCase(Locale.ROOT)));
  }

  /**
   * The revision a request goes to, for {@code u} drawn uniformly from [0, 1): the weights laid end
   * to end in rule order, scaled to their sum (which is 100 once every target serves, and less
   * while one cannot: its share then goes to the others). Empty when no revision can serve.
   */
  public Optional<String> pick(double u) {
    if (!(u >= 0 && u < 1)) {
      throw new IllegalArgumentException("u must be in [0, 1): " + u);
    }
    if (total == 0) {
      return Optional.empty();
    }
    double point = u * total;
    int upTo = 0;
    for (String revision : order) {
      upTo += weights.get(revision);
      if (point < upTo) {
        return Optional.of(revision);
      }
    }
    return Optional.of(order.getLast()); // rounding at the top end
  }

  private static String key(String revision) {
    return revision.toLowerCase(Locale.ROOT);
  }
}
