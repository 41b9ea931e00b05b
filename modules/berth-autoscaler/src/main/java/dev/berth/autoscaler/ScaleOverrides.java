package dev.berth.autoscaler;

import java.time.Duration;
import java.util.Optional;

/**
 * What Berth's configuration changes in every revision's {@link ScaleSettings}: tests and
 * benchmarks shorten {@code cooldownPeriod}, {@code pollingInterval} and the stable window so a
 * revision scales to zero in seconds rather than five minutes. Immutable.
 *
 * @param cooldownPeriod replaces each revision's {@code cooldownPeriod}
 * @param pollingInterval replaces each revision's {@code pollingInterval}
 * @param stableWindow replaces Knative's 60 s stable window (the panic window stays a tenth of it,
 *     at least one granule)
 */
public record ScaleOverrides(
    Optional<Duration> cooldownPeriod,
    Optional<Duration> pollingInterval,
    Optional<Duration> stableWindow) {

  /** Changes nothing: every revision scales as its template says. */
  public static final ScaleOverrides NONE =
      new ScaleOverrides(Optional.empty(), Optional.empty(), Optional.empty());

  /** {@code settings} with these overrides applied. */
  public ScaleSettings apply(ScaleSettings settings) {
    ScaleSettings s = settings;
    if (cooldownPeriod.isPresent()) {
      s = s.withCooldownPeriod(cooldownPeriod.get());
    }
    if (pollingInterval.isPresent()) {
      s = s.withPollingInterval(pollingInterval.get());
    }
    if (stableWindow.isPresent()) {
      Duration stable = stableWindow.get();
      Duration panic = stable.dividedBy(10);
      if (panic.compareTo(s.granularity()) < 0) {
        panic = s.granularity();
      }
      if (stable.compareTo(panic) < 0) {
        stable = panic;
      }
      s = s.withWindows(stable, panic, s.panicThreshold());
    }
    return s;
  }
}
