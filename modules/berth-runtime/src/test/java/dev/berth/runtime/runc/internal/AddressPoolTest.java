package dev.berth.runtime.runc.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AddressPoolTest {

  @TempDir Path dir;

  @Test
  void addressesSurviveARestartAndAreNeverGivenTwice() throws Exception {
    Subnet subnet = Subnet.parse("10.9.0.0/24");
    AddressPool pool = AddressPool.load(subnet, dir.resolve("a.json"));
    assertThat(Subnet.format(pool.allocate("a"))).isEqualTo("10.9.0.2");
    assertThat(Subnet.format(pool.allocate("b"))).isEqualTo("10.9.0.3");
    assertThat(Subnet.format(pool.allocate("a"))).isEqualTo("10.9.0.2");

    AddressPool reloaded = AddressPool.load(subnet, dir.resolve("a.json"));
    assertThat(Subnet.format(reloaded.allocate("c"))).isEqualTo("10.9.0.4");
    reloaded.release("a");
    assertThat(Subnet.format(reloaded.allocate("d"))).isEqualTo("10.9.0.2");
    reloaded.retainOnly(Set.of("d"));
    assertThat(Subnet.format(AddressPool.load(subnet, dir.resolve("a.json")).allocate("e")))
        .isEqualTo("10.9.0.3");
  }

  @Test
  void aFullNetworkSaysSo() throws Exception {
    AddressPool pool = AddressPool.load(Subnet.parse("10.9.0.0/29"), dir.resolve("a.json"));
    for (int i = 0; i < 5; i++) {
      pool.allocate("r" + i);
    }
    assertThatThrownBy(() -> pool.allocate("r5")).hasMessageContaining("no free address");
  }
}
