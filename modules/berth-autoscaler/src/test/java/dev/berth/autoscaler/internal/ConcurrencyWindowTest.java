package dev.berth.autoscaler.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The window averages per-second buckets, carrying an observation forward until it changes. */
class ConcurrencyWindowTest {

  static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  static final Duration SIXTY = Duration.ofSeconds(60);

  ConcurrencyWindow window = new ConcurrencyWindow(T0, Duration.ofSeconds(1), SIXTY);

  static Instant at(double seconds) {
    return T0.plusMillis((long) (seconds * 1000));
  }

  @Test
  void beforeAnyObservationTheAverageIsZero() {
    assertThat(window.average(at(10), SIXTY)).isZero();
    assertThat(window.latest()).isZero();
  }

  @Test
  void aFirstObservationCountsAtOnceAndIsNotDilutedByTimeBeforeIt() {
    window.record(at(30), 12);

    assertThat(window.average(at(30), SIXTY)).isEqualTo(12);
  }

  @Test
  void anObservationHoldsUntilTheNextOne() {
    window.record(at(0), 10);
    window.record(at(5), 0);

    // buckets 0..9: five at 10, five carried at 0
    assertThat(window.average(at(9), SIXTY)).isEqualTo(5);
    assertThat(window.average(at(9), Duration.ofSeconds(2))).isZero();
  }

  @Test
  void observationsInOneBucketAreAveraged() {
    window.record(at(0.1), 10);
    window.record(at(0.9), 20);

    assertThat(window.average(at(0.9), SIXTY)).isEqualTo(15);
    assertThat(window.latest()).isEqualTo(20);
  }

  @Test
  void onlyTheTrailingWindowCountsAndOldBucketsCarryIntoIt() {
    window.record(at(0), 100);
    for (int s = 1; s <= 200; s++) {
      window.record(at(s), s < 150 ? 100 : 4);
    }

    assertThat(window.average(at(200), SIXTY)).isEqualTo((9 * 100 + 51 * 4) / 60.0);
    assertThat(window.average(at(200), Duration.ofSeconds(6))).isEqualTo(4);
  }

  @Test
  void anOlderObservationCountsInItsBucketButIsNotTheLatest() {
    window.record(at(5), 8);
    window.record(at(4), 2);

    assertThat(window.latest()).isEqualTo(8);
    assertThat(window.average(at(5), Duration.ofSeconds(2))).isEqualTo(5);
  }

  @Test
  void aNegativeCountIsAMistake() {
    assertThatThrownBy(() -> window.record(at(1), -1)).isInstanceOf(IllegalArgumentException.class);
  }
}
