package dev.berth.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.runtime.ReplicaExtras.HostEntry;
import dev.berth.runtime.ReplicaExtras.ReadOnlyFile;
import org.junit.jupiter.api.Test;

class ReplicaExtrasTest {

  @Test
  void hostLinesTakeAddressesAndHostNamesOnly() {
    assertThat(new HostEntry("10.213.0.1", "myacr.azurecr.io.localhost").name())
        .isEqualTo("myacr.azurecr.io.localhost");
    assertThat(new HostEntry("fd00::1", "a").address()).isEqualTo("fd00::1");
    for (String name : new String[] {"", "a b", "a\nb", "-a", "a\t10.0.0.1"}) {
      assertThatThrownBy(() -> new HostEntry("10.213.0.1", name))
          .as(name)
          .isInstanceOf(IllegalArgumentException.class);
    }
    for (String address : new String[] {"", "localhost", "10.0.0.1 evil", "1"}) {
      assertThatThrownBy(() -> new HostEntry(address, "a"))
          .as(address)
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void filesGoToPlainAbsolutePathsAndKeepTheirOwnCopy() {
    byte[] content = {1, 2};
    ReadOnlyFile file =
        new ReadOnlyFile("/etc/docker/certs.d/myacr.azurecr.io.localhost:4000/ca.crt", content);
    content[0] = 9;
    assertThat(file.content()).containsExactly(1, 2);
    for (String path :
        new String[] {
          "etc/x", "/", "/etc//x", "/etc/../x", "/etc/..", "/etc/./x", "/etc/x y", "/etc/x\n"
        }) {
      assertThatThrownBy(() -> new ReadOnlyFile(path, content))
          .as(path)
          .isInstanceOf(IllegalArgumentException.class);
    }
  }
}
