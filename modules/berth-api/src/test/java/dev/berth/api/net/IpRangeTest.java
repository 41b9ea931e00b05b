package dev.berth.api.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class IpRangeTest {

  @ParameterizedTest(name = "{0} in {1} -> {2}")
  @CsvSource({
    "10.1.2.3, 10.0.0.0/8, true",
    "11.1.2.3, 10.0.0.0/8, false",
    "192.168.5.9, 192.168.4.0/23, true",
    "192.168.6.1, 192.168.4.0/23, false",
    "8.8.8.8, 0.0.0.0/0, true",
    "127.0.0.1, 127.0.0.1, true",
    "127.0.0.2, 127.0.0.1, false",
    "::ffff:10.0.0.7, 10.0.0.0/24, true",
    "2001:db8::1, 2001:db8::/32, true",
    "2001:db9::1, 2001:db8::/32, false",
    "::1, ::1, true",
    "::1, 0.0.0.0/0, false",
    "10.0.0.1, ::/0, false",
    "not-an-ip, 0.0.0.0/0, false",
  })
  void anAddressIsInTheRangeThatHoldsIt(String address, String range, boolean in) {
    assertThat(IpRange.parse(range).contains(address)).isEqualTo(in);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "10.0.0",
        "10.0.0.256",
        "10.0.0.0/33",
        "10.0.0.0/",
        "10.0.0.0/x",
        "::/129",
        "example.com",
        "1.2.3.4/8/1",
        "-1.0.0.0"
      })
  void whatIsNoRangeIsRefusedSayingSo(String text) {
    assertThatThrownBy(() -> IpRange.parse(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'" + text + "'");
  }

  @org.junit.jupiter.api.Test
  void theHostBitsOfARangeDoNotMatter() {
    assertThat(IpRange.parse("10.1.2.3/8")).isEqualTo(IpRange.parse("10.0.0.0/8"));
  }
}
