package dev.berth.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.runtime.ReplicaExtras;
import dev.berth.server.RegistryListeners.ReplicaLoginServer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReplicaRegistryExtrasTest {

  static final String CA = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";

  @Test
  void eachLoginServerGetsAHostsLineToTheGatewayAndTheCaInBothCertsDirectories() {
    ReplicaExtras extras =
        new ReplicaRegistryExtras(
                () ->
                    List.of(
                        new ReplicaLoginServer("10.213.0.1", "one.azurecr.io.localhost:4001"),
                        new ReplicaLoginServer("10.213.0.1", "two.azurecr.io.localhost:4002")),
                CA)
            .get();

    assertThat(extras.hosts())
        .containsExactly(
            new ReplicaExtras.HostEntry("10.213.0.1", "one.azurecr.io.localhost"),
            new ReplicaExtras.HostEntry("10.213.0.1", "two.azurecr.io.localhost"));
    assertThat(extras.files())
        .extracting(ReplicaExtras.ReadOnlyFile::destination)
        .containsExactly(
            "/etc/containers/certs.d/one.azurecr.io.localhost:4001/ca.crt",
            "/etc/docker/certs.d/one.azurecr.io.localhost:4001/ca.crt",
            "/etc/containers/certs.d/two.azurecr.io.localhost:4002/ca.crt",
            "/etc/docker/certs.d/two.azurecr.io.localhost:4002/ca.crt");
    assertThat(extras.files())
        .allSatisfy(
            f -> assertThat(new String(f.content(), StandardCharsets.US_ASCII)).isEqualTo(CA));
  }

  @Test
  void noRegistriesNoExtrasAndNeverAKey() {
    assertThat(new ReplicaRegistryExtras(List::of, CA).get()).isEqualTo(ReplicaExtras.NONE);
    assertThatThrownBy(
            () -> new ReplicaRegistryExtras(List::of, CA + "-----BEGIN PRIVATE KEY-----\n"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
