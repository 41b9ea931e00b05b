package dev.berth.runtime.runc.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SubnetTest {

  @Test
  void theFirstAddressIsTheGatewayAndReplicasGetTheRest() {
    Subnet subnet = Subnet.parse("10.213.0.0/16");
    assertThat(Subnet.format(subnet.gateway())).isEqualTo("10.213.0.1");
    assertThat(Subnet.format(subnet.firstHost())).isEqualTo("10.213.0.2");
    assertThat(Subnet.format(subnet.lastHost())).isEqualTo("10.213.255.254");
    assertThat(Subnet.inet(subnet.gateway()).getHostAddress()).isEqualTo("10.213.0.1");
  }

  @Test
  void hostBitsAreDropped() {
    assertThat(Subnet.parse("10.5.6.7/24")).hasToString("10.5.6.0/24");
  }

  @Test
  void podmansRangeIsRefused() {
    assertThatThrownBy(() -> Subnet.parse("10.88.3.0/24")).hasMessageContaining("podman");
    assertThatThrownBy(() -> Subnet.parse("10.0.0.0/8")).hasMessageContaining("podman");
  }

  @Test
  void malformedNetworksAreNamed() {
    assertThatThrownBy(() -> Subnet.parse("10.1.0.0")).hasMessageContaining("CIDR");
    assertThatThrownBy(() -> Subnet.parse("10.1.0.0/31")).hasMessageContaining("/29");
    assertThatThrownBy(() -> Subnet.parse("10.300.0.0/16")).hasMessageContaining("bad octet");
  }
}
