package dev.berth.runtime.runc.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The parts of the host network that are plain functions. */
class HostNetworkTest {

  @Test
  void aReplicasMacIsMadeFromItsAddressSoAReusedAddressKeepsItsNeighbourEntry() {
    int address = Subnet.toInt("10.213.0.7");

    assertThat(HostNetwork.macFor(address)).isEqualTo("02:b7:0a:d5:00:07");
    assertThat(HostNetwork.macFor(Subnet.toInt("10.213.0.8"))).isNotEqualTo("02:b7:0a:d5:00:07");
  }

  @Test
  void aVethNameFitsLinuxsFifteenCharacters() {
    assertThat(HostNetwork.vethName("berth-some-long-replica-name-1234")).hasSize(14);
  }

  /**
   * /proc/net/route on x86: a default route, a LAN on eth0 (192.0.2.0/24), a VPN's 10.213.4.0/22.
   */
  private static final List<String> ROUTES =
      List.of(
          "Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT",
          "eth0\t00000000\t010200C0\t0003\t0\t0\t0\t00000000\t0\t0\t0",
          "eth0\t000200C0\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0",
          "tun0\t0004D50A\t00000000\t0001\t0\t0\t0\t00FCFFFF\t0\t0\t0",
          "berth0\t0000D50A\t00000000\t0001\t0\t0\t0\t0000FFFF\t0\t0\t0");

  @Test
  void aReplicaNetworkThatARouteOfTheHostCoversIsRefusedNamingTheRouteAndItsDevice() {
    assertThat(HostNetwork.clash(Subnet.parse("10.213.0.0/16"), "berth0", ROUTES))
        .contains(
            "the replica network 10.213.0.0/16 overlaps 10.213.4.0/22, which this host routes"
                + " through tun0: choose another range");
    assertThat(HostNetwork.clash(Subnet.parse("10.213.5.0/24"), "berth0", ROUTES))
        .as("a network inside the route")
        .isPresent();
    assertThat(HostNetwork.clash(Subnet.parse("192.0.0.0/8"), "berth0", ROUTES))
        .as("a network around the route")
        .hasValueSatisfying(why -> assertThat(why).contains("192.0.2.0/24").contains("eth0"));
  }

  @Test
  void theBridgesOwnRouteAndTheDefaultRouteClashWithNothing() {
    assertThat(HostNetwork.clash(Subnet.parse("10.214.0.0/16"), "berth0", ROUTES)).isEmpty();
    assertThat(HostNetwork.clash(Subnet.parse("10.213.0.0/22"), "berth0", ROUTES))
        .as("berth0's own 10.213.0.0/16 is left out")
        .isEmpty();
    assertThat(HostNetwork.clash(Subnet.parse("10.213.0.0/16"), "berth0", List.of())).isEmpty();
  }
}
