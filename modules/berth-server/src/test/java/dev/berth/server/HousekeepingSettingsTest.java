package dev.berth.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The retention and collection settings: an option wins over the environment, which wins over the
 * documented defaults; a bad value names its option or variable.
 */
class HousekeepingSettingsTest {

  private static ServerConfig resolve(Map<String, String> env) {
    return ServerConfig.resolve(
        Path.of("/tmp/unused"), null, null, null, null, "none", null, null, null, env);
  }

  @Test
  void defaultsAreADayOfOperationsAndHourlyCollectionWithAnHourOfGrace() {
    assertThat(resolve(Map.of()).housekeeping())
        .isEqualTo(
            new HousekeepingSettings(
                Duration.ofHours(24), Duration.ofHours(1), Duration.ofHours(1)))
        .isEqualTo(HousekeepingSettings.DEFAULTS);
  }

  @Test
  void eachSettingIsAnIso8601DurationFromTheEnvironment() {
    var s =
        resolve(
                Map.of(
                    "BERTH_OPERATION_RETENTION", "PT6H",
                    "BERTH_REGISTRY_GC_INTERVAL", "PT0S",
                    "BERTH_REGISTRY_GC_GRACE", " PT30S "))
            .housekeeping();
    assertThat(s)
        .isEqualTo(
            new HousekeepingSettings(Duration.ofHours(6), Duration.ZERO, Duration.ofSeconds(30)));
  }

  @Test
  void anOptionWinsOverTheEnvironment() {
    var s =
        resolve(Map.of("BERTH_REGISTRY_GC_GRACE", "PT30S", "BERTH_REGISTRY_GC_INTERVAL", "PT5M"))
            .housekeeping()
            .withOptions(null, null, "PT2H");
    assertThat(s)
        .isEqualTo(
            new HousekeepingSettings(
                Duration.ofHours(24), Duration.ofMinutes(5), Duration.ofHours(2)));
  }

  @Test
  void aBadValueStopsTheStartWithItsName() {
    assertThatThrownBy(() -> resolve(Map.of("BERTH_REGISTRY_GC_GRACE", "an hour")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "BERTH_REGISTRY_GC_GRACE is not an ISO-8601 duration such as PT1H or PT30M: an hour");
    assertThatThrownBy(() -> resolve(Map.of("BERTH_OPERATION_RETENTION", "-PT1H")))
        .hasMessage("BERTH_OPERATION_RETENTION must not be negative: -PT1H");
    assertThatThrownBy(() -> resolve(Map.of("BERTH_REGISTRY_GC_INTERVAL", "1h")))
        .hasMessageStartingWith("BERTH_REGISTRY_GC_INTERVAL is not an ISO-8601 duration");
    assertThatThrownBy(() -> HousekeepingSettings.DEFAULTS.withOptions("1 day", null, null))
        .hasMessageStartingWith("--operation-retention is not an ISO-8601 duration");
  }
}
