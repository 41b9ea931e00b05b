package dev.berth.registry.auth.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class NetworkPolicyTest {

  @ParameterizedTest(name = "{0} in {1} -> {2}")
  @CsvSource({
    "127.0.0.2, 127.0.0.2, true",
    "127.0.0.1, 127.0.0.2, false",
    "127.0.0.1, 127.0.0.2/32, false",
    "10.1.2.3, 10.0.0.0/8, true",
    "11.1.2.3, 10.0.0.0/8, false",
    "192.168.5.9, 192.168.4.0/23, true",
    "192.168.6.1, 192.168.4.0/23, false",
    "8.8.8.8, 0.0.0.0/0, true",
    "::1, 0.0.0.0/0, false",
    "10.0.0.1, not-an-ip, false",
  })
  void matchesIpv4CidrRules(String ip, String rule, boolean allowed) throws Exception {
    assertThat(NetworkPolicy.allowed(InetAddress.getByName(ip), List.of(rule))).isEqualTo(allowed);
  }
}
