package dev.berth.server;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Objects;

/**
 * How long ended ARM operations are kept ({@code operationRetention}, docs/controlplane.md
 * "Retention"), how often registry garbage is collected ({@code gcInterval}, zero: never
 * periodically) and how long an unreferenced blob is spared ({@code gcGrace},
 * docs/registry-distribution.md "Garbage collection"). Each is an ISO-8601 duration, from an option
 * of {@code berth up}, else the environment, else the default. Immutable.
 */
public record HousekeepingSettings(
    Duration operationRetention, Duration gcInterval, Duration gcGrace) {

  /** A day of ended operations; an hourly collection sparing blobs unused for less than an hour. */
  public static final HousekeepingSettings DEFAULTS =
      new HousekeepingSettings(Duration.ofHours(24), Duration.ofHours(1), Duration.ofHours(1));

  public HousekeepingSettings {
    requireNotNegative("operationRetention", operationRetention);
    requireNotNegative("gcInterval", gcInterval);
    requireNotNegative("gcGrace", gcGrace);
  }

  /**
   * The settings {@code BERTH_OPERATION_RETENTION}, {@code BERTH_REGISTRY_GC_INTERVAL} and {@code
   * BERTH_REGISTRY_GC_GRACE} give, the defaults for those absent or blank.
   *
   * @throws IllegalArgumentException naming the variable whose value is not a duration, or is
   *     negative
   */
  public static HousekeepingSettings fromEnvironment(Map<String, String> env) {
    return DEFAULTS.with(
        env.get("BERTH_OPERATION_RETENTION"), "BERTH_OPERATION_RETENTION",
        env.get("BERTH_REGISTRY_GC_INTERVAL"), "BERTH_REGISTRY_GC_INTERVAL",
        env.get("BERTH_REGISTRY_GC_GRACE"), "BERTH_REGISTRY_GC_GRACE");
  }

  /**
   * These settings with the ones a command line gave (null: keep).
   *
   * @throws IllegalArgumentException naming the option whose value is not a duration
   */
  public HousekeepingSettings withOptions(
      String operationRetention, String gcInterval, String gcGrace) {
    return with(
        operationRetention, "--operation-retention",
        gcInterval, "--registry-gc-interval",
        gcGrace, "--registry-gc-grace");
  }

  private HousekeepingSettings with(
      String retention,
      String retentionName,
      String interval,
      String intervalName,
      String grace,
      String graceName) {
    return new HousekeepingSettings(
        parse(retentionName, retention, operationRetention),
        parse(intervalName, interval, gcInterval),
        parse(graceName, grace, gcGrace));
  }

  private static Duration parse(String name, String text, Duration fallback) {
    if (text == null || text.isBlank()) {
      return fallback;
    }
    Duration d;
    try {
      d = Duration.parse(text.strip());
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(
          name + " is not an ISO-8601 duration such as PT1H or PT30M: " + text);
    }
    if (d.isNegative()) {
      throw new IllegalArgumentException(name + " must not be negative: " + text);
    }
    return d;
  }

  private static void requireNotNegative(String name, Duration d) {
    Objects.requireNonNull(d, name);
    if (d.isNegative()) {
      throw new IllegalArgumentException(name + " must not be negative: " + d);
    }
  }
}
