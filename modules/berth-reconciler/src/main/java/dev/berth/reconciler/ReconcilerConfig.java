package dev.berth.reconciler;

import dev.berth.autoscaler.ScaleOverrides;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * How the reconcilers behave.
 *
 * @param logDirectory where replica logs and system events go ({@code <dir>/<app>/…})
 * @param managementAudience the audience of the identity tokens a pull exchanges (Container Apps
 *     uses the management API's)
 * @param identityEndpoint the URL replicas get as {@code IDENTITY_ENDPOINT}, if the endpoint runs
 * @param pullBackoff first retry delay of a failed pull; doubles up to {@code maxBackoff}
 * @param restartBackoff first restart delay of an exited container; doubles up to {@code
 *     maxBackoff}
 * @param maxBackoff the longest either back-off grows to
 * @param crashLoopThreshold exits before the first ready probe that make a revision Degraded
 * @param resync how often every revision is looked at even without a store change
 * @param scale what Berth's configuration changes in every revision's scale settings (tests' short
 *     cooldowns)
 */
public record ReconcilerConfig(
    Path logDirectory,
    String managementAudience,
    Optional<String> identityEndpoint,
    Duration pullBackoff,
    Duration restartBackoff,
    Duration maxBackoff,
    int crashLoopThreshold,
    Duration resync,
    ScaleOverrides scale) {

  /** Container Apps' defaults (Kubernetes' back-off: 10 s doubling to 5 min), scaled for a box. */
  public static ReconcilerConfig defaults(
      Path logDirectory, String managementAudience, Optional<String> identityEndpoint) {
    return new ReconcilerConfig(
        logDirectory,
        managementAudience,
        identityEndpoint,
        Duration.ofSeconds(5),
        Duration.ofSeconds(1),
        Duration.ofMinutes(5),
        3,
        Duration.ofSeconds(30),
        ScaleOverrides.NONE);
  }

  /** How long the {@code failures}-th failed pull in a row waits before the next try. */
  public Duration pullDelay(int failures) {
    return backoff(pullBackoff, failures);
  }

  /** How long a container waits before its {@code restarts}-th restart. */
  public Duration restartDelay(int restarts) {
    return backoff(restartBackoff, restarts);
  }

  /** {@code base × 2^(n-1)}, at most {@code maxBackoff}: Kubernetes' back-off. */
  private Duration backoff(Duration base, int n) {
    Duration d = base.multipliedBy(1L << Math.min(Math.max(n - 1, 0), 20));
    return d.compareTo(maxBackoff) > 0 ? maxBackoff : d;
  }

  public ReconcilerConfig withBackoff(Duration pull, Duration restart, Duration max) {
    return new ReconcilerConfig(
        logDirectory,
        managementAudience,
        identityEndpoint,
        pull,
        restart,
        max,
        crashLoopThreshold,
        resync,
        scale);
  }

  public ReconcilerConfig withScale(ScaleOverrides overrides) {
    return new ReconcilerConfig(
        logDirectory,
        managementAudience,
        identityEndpoint,
        pullBackoff,
        restartBackoff,
        maxBackoff,
        crashLoopThreshold,
        resync,
        overrides);
  }
}
