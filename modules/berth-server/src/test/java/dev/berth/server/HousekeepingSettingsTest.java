package dev.berth.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The retention and collection settings come from the environment, with documented defaults. */
class HousekeepingSettingsTest {

  @Test
  void defaultsAreADayOfOperationsAndHourlyCollectionWithAnHourOfGrace() {
    assertThat(Housekeeping.Settings.from(Map.of()))
        .isEqualTo(
            new Housekeeping.Settings(
                Duration.ofHours(24), Duration.ofHours(1), Duration.ofHours(1)));
  }

  @Test
  void eachSettingIsAnIso8601Duration() {
    var s =
        Housekeeping.Settings.from(
            Map.of(
                "BERTH_OPERATION_RETENTION", "PT6H",
                "BERTH_REGISTRY_GC_INTERVAL", "PT0S",
                "BERTH_REGISTRY_GC_GRACE", " PT30S "));
    assertThat(s)
        .isEqualTo(
            new Housekeeping.Settings(Duration.ofHours(6), Duration.ZERO, Duration.ofSeconds(30)));
  }

  @Test
  void aBadValueStopsTheStartWithItsName() {
    assertThatThrownBy(
            () -> Housekeeping.Settings.from(Map.of("BERTH_REGISTRY_GC_GRACE", "an hour")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("BERTH_REGISTRY_GC_GRACE")
        .hasMessageContaining("PT1H");
    assertThatThrownBy(
            () -> Housekeeping.Settings.from(Map.of("BERTH_OPERATION_RETENTION", "-PT1H")))
        .hasMessageContaining("must not be negative");
  }
}
