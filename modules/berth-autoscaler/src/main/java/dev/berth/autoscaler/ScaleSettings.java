package dev.berth.autoscaler;

import dev.berth.api.app.Template;
import java.time.Duration;

/**
 * What one revision's autoscaler decides with: Container Apps' {@code template.scale} (replica
 * bounds, the HTTP rule's {@code concurrentRequests}, {@code cooldownPeriod}, {@code
 * pollingInterval}) and Knative's KPA windows, which ACA does not expose and Berth's configuration
 * (and tests) may change. Immutable.
 *
 * @param minReplicas the floor, also when idle
 * @param maxReplicas the cap
 * @param concurrentRequests the in-flight requests one replica is meant to carry
 * @param targetUtilisation the share of {@code concurrentRequests} aimed at; 1.0 (ACA scales out
 *     when {@code concurrentRequests} is exceeded), Knative's 0.7 leaves headroom
 * @param stableWindow the window whose mean concurrency decides outside panic (Knative: 60 s)
 * @param panicWindow the short window that detects a burst (Knative: 10 % of stable, 6 s)
 * @param panicThreshold panic when the panic window wants this many times the current replicas
 *     (Knative: 200 %)
 * @param cooldownPeriod how long without requests before the last replica goes (ACA: 300 s)
 * @param pollingInterval how often a decision is made (ACA: 30 s); scaling from zero does not wait
 * @param granularity the width of one averaging bucket (Knative: 1 s)
 * @see <a href="https://learn.microsoft.com/azure/container-apps/scale-app">Scaling in Azure
 *     Container Apps</a>
 * @see <a href="https://knative.dev/docs/serving/autoscaling/kpa-specific/">Knative, KPA: stable
 *     and panic windows</a>
 * @see <a
 *     href="https://github.com/knative/serving/blob/main/config/core/configmaps/autoscaler.yaml">knative/serving
 *     config/core/configmaps/autoscaler.yaml</a>
 */
public record ScaleSettings(
    int minReplicas,
    int maxReplicas,
    int concurrentRequests,
    double targetUtilisation,
    Duration stableWindow,
    Duration panicWindow,
    double panicThreshold,
    Duration cooldownPeriod,
    Duration pollingInterval,
    Duration granularity) {

  public static final Duration STABLE_WINDOW = Duration.ofSeconds(60);
  public static final Duration PANIC_WINDOW = Duration.ofSeconds(6);
  public static final double PANIC_THRESHOLD = 2.0;
  public static final Duration GRANULARITY = Duration.ofSeconds(1);

  public ScaleSettings {
    require(minReplicas >= 0, "minReplicas must be 0 or more");
    require(maxReplicas >= Math.max(1, minReplicas), "maxReplicas must be at least 1 and min");
    require(concurrentRequests >= 1, "concurrentRequests must be at least 1");
    require(targetUtilisation > 0 && targetUtilisation <= 1, "targetUtilisation is in (0, 1]");
    require(granularity.isPositive(), "granularity must be positive");
    require(panicWindow.compareTo(granularity) >= 0, "panicWindow must be a granule or more");
    require(stableWindow.compareTo(panicWindow) >= 0, "stableWindow must be panicWindow or more");
    require(panicThreshold >= 1, "panicThreshold must be 1 or more");
    require(!cooldownPeriod.isNegative(), "cooldownPeriod must be 0 or more");
    require(!pollingInterval.isNegative(), "pollingInterval must be 0 or more");
  }

  /** The settings of {@code scale} with Knative's windows. */
  public static ScaleSettings of(Template.Scale scale) {
    // A rule Berth cannot evaluate (a queue, a KEDA scaler) is the only way such a revision would
    // come back from zero: it keeps one replica instead, so the work it is for still gets done.
    int min =
        scale.unevaluatedRules().isEmpty() ? scale.minReplicas() : Math.max(1, scale.minReplicas());
    return new ScaleSettings(
        min,
        Math.max(Math.max(1, min), scale.maxReplicas()),
        scale.concurrentRequests(),
        1.0,
        STABLE_WINDOW,
        PANIC_WINDOW,
        PANIC_THRESHOLD,
        scale.cooldownPeriod(),
        scale.pollingInterval(),
        GRANULARITY);
  }

  /** Container Apps' defaults: 0–10 replicas, 10 requests per replica, 300 s and 30 s. */
  public static ScaleSettings defaults() {
    return of(new Template.Scale(0, 10));
  }

  /** The in-flight requests one replica is aimed at: {@code concurrentRequests × utilisation}. */
  public double targetPerReplica() {
    return concurrentRequests * targetUtilisation;
  }

  public ScaleSettings withReplicas(int min, int max) {
    return new ScaleSettings(
        min,
        max,
        concurrentRequests,
        targetUtilisation,
        stableWindow,
        panicWindow,
        panicThreshold,
        cooldownPeriod,
        pollingInterval,
        granularity);
  }

  public ScaleSettings withConcurrentRequests(int perReplica, double utilisation) {
    return new ScaleSettings(
        minReplicas,
        maxReplicas,
        perReplica,
        utilisation,
        stableWindow,
        panicWindow,
        panicThreshold,
        cooldownPeriod,
        pollingInterval,
        granularity);
  }

  public ScaleSettings withWindows(Duration stable, Duration panic, double threshold) {
    return new ScaleSettings(
        minReplicas,
        maxReplicas,
        concurrentRequests,
        targetUtilisation,
        stable,
        panic,
        threshold,
        cooldownPeriod,
        pollingInterval,
        granularity);
  }

  public ScaleSettings withCooldownPeriod(Duration cooldown) {
    return new ScaleSettings(
        minReplicas,
        maxReplicas,
        concurrentRequests,
        targetUtilisation,
        stableWindow,
        panicWindow,
        panicThreshold,
        cooldown,
        pollingInterval,
        granularity);
  }

  public ScaleSettings withPollingInterval(Duration polling) {
    return new ScaleSettings(
        minReplicas,
        maxReplicas,
        concurrentRequests,
        targetUtilisation,
        stableWindow,
        panicWindow,
        panicThreshold,
        cooldownPeriod,
        polling,
        granularity);
  }

  private static void require(boolean holds, String what) {
    if (!holds) {
      throw new IllegalArgumentException(what);
    }
  }
}
