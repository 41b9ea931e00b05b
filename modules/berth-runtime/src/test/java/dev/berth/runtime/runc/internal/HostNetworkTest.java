package dev.berth.runtime.runc.internal;

import static org.assertj.core.api.Assertions.assertThat;

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
}
