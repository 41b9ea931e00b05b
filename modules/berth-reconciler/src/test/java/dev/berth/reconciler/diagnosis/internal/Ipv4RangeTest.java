package dev.berth.reconciler.diagnosis.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class Ipv4RangeTest {

  @ParameterizedTest(name = "{0} in {1} → {2}")
  @CsvSource({
    "127.0.0.12, 127.0.0.12, true",
    "127.0.0.12, 127.0.0.12/32, true",
    "127.0.0.12, 127.0.0.8/29, true",
    "127.0.0.12, 127.0.0.0/29, false",
    "127.0.0.12, 0.0.0.0/0, true",
    "127.0.0.12, 10.0.0.0/8, false",
    "127.0.0.12, not-an-ip, false",
    "127.0.0.12, 127.0.0.12/33, false",
    "::1, 127.0.0.1, false"
  })
  void anAddressIsCoveredOnlyByARuleWhoseRangeHoldsIt(String address, String rule, boolean in) {
    assertThat(Ipv4Range.covered(address, List.of(rule))).isEqualTo(in);
  }
}
