package dev.berth.runtime.runc.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.testing.Exec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The bridge on a real host: its MAC address stays what Berth set when the replica whose port had
 * the lowest MAC leaves, so the other replicas still reach the gateway by the MAC they learned.
 * Needs root, {@code ip} and busybox.
 */
class HostNetworkIT {

  private static final int SUFFIX = ThreadLocalRandom.current().nextInt(1, 250);
  private static final Subnet SUBNET = Subnet.parse("10.218." + SUFFIX + ".0/24");
  private static final String BRIDGE = "hnit" + SUFFIX;
  private static final String OTHER = "hnot" + SUFFIX; // a veth holding another route

  private final HostNetwork network = new HostNetwork(SUBNET, BRIDGE);
  private final List<String> namespaces = new ArrayList<>();

  @BeforeAll
  static void needsRootIpAndBusybox() throws Exception {
    if (!Files.readString(Path.of("/proc/self/status")).matches("(?s).*\\nUid:\\s+0\\s.*")) {
      throw new IllegalStateException("HostNetworkIT needs root (network namespaces, a bridge)");
    }
    for (String tool : List.of("ip", "busybox")) {
      if (Exec.of("sh", "-c", "command -v " + tool).timeout(Duration.ofSeconds(10)).run().exit()
          != 0) {
        throw new IllegalStateException("HostNetworkIT needs " + tool + " on the PATH");
      }
    }
  }

  @AfterEach
  void removeWhatWasMade() throws Exception {
    for (String ns : namespaces) {
      network.detach(ns, HostNetwork.vethName(ns));
    }
    Exec.of("ip", "link", "del", BRIDGE).timeout(Duration.ofSeconds(30)).run();
    Exec.of("ip", "link", "del", OTHER).timeout(Duration.ofSeconds(30)).run();
  }

  /** A network this host already routes elsewhere: no bridge, and the error names the route. */
  @Test
  void aSubnetThatAnotherDevicesRouteCoversGetsNoBridge() throws Exception {
    ip("link", "add", OTHER, "type", "veth", "peer", "name", OTHER + "p");
    ip("addr", "add", Subnet.format(SUBNET.network() + 129) + "/25", "dev", OTHER);
    ip("link", "set", OTHER, "up"); // its route is there once it is up

    assertThatThrownBy(network::ensureBridge)
        .hasMessage(
            "the replica network "
                + SUBNET
                + " overlaps "
                + Subnet.format(SUBNET.network() + 128)
                + "/25, which this host routes through "
                + OTHER
                + ": choose another range");
    assertThat(Exec.of("ip", "link", "show", "dev", BRIDGE).run().exit()).isNotZero();
  }

  @Test
  void theBridgeKeepsItsMacWhenTheReplicaWithTheLowestPortMacLeaves() throws Exception {
    network.ensureBridge();
    String first = attach("a", SUBNET.firstHost());
    // The lowest MAC a veth can have: a bridge without a MAC of its own would take this one.
    ip("link", "set", HostNetwork.vethName(first), "address", "02:00:00:00:00:01");
    String second = attach("b", SUBNET.firstHost() + 1);
    String gateway = Subnet.format(SUBNET.gateway());
    assertThat(ping(second, gateway)).as("the second replica reaches the gateway").isTrue();

    network.detach(first, HostNetwork.vethName(first));
    namespaces.remove(first);

    // Its neighbour entry for the gateway is still the MAC it learned: it must still be right.
    assertThat(ping(second, gateway))
        .as("the second replica still reaches the gateway by the MAC it learned")
        .isTrue();
    assertThat(ip("-o", "link", "show", "dev", BRIDGE))
        .contains("link/ether " + HostNetwork.macFor(SUBNET.gateway()) + " ");
  }

  @Test
  void aBridgeMadeBeforeGetsItsMacOnTheNextStart() throws Exception {
    ip("link", "add", BRIDGE, "type", "bridge");

    network.ensureBridge();
    network.ensureBridge(); // and a second start changes nothing

    assertThat(ip("-o", "link", "show", "dev", BRIDGE))
        .contains("link/ether " + HostNetwork.macFor(SUBNET.gateway()) + " ");
  }

  private String attach(String name, int address) throws Exception {
    String ns = BRIDGE + "-" + name;
    namespaces.add(ns);
    network.attach(ns, HostNetwork.vethName(ns), address);
    return ns;
  }

  private static boolean ping(String ns, String address) throws Exception {
    return Exec.of("ip", "netns", "exec", ns, "busybox", "ping", "-c", "1", "-W", "1", address)
            .timeout(Duration.ofSeconds(10))
            .run()
            .exit()
        == 0;
  }

  private static String ip(String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of("ip"));
    command.addAll(List.of(args));
    Exec.Result result = Exec.of(command).timeout(Duration.ofSeconds(10)).run();
    assertThat(result.exit()).as(String.join(" ", command) + ": " + result.output()).isZero();
    return result.output();
  }
}
