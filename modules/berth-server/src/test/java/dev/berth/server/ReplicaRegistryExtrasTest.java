package dev.berth.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.runtime.ReplicaExtras;
import dev.berth.server.RegistryListeners.ReplicaLoginServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReplicaRegistryExtrasTest {

  static final String CA = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";
  static final ReplicaLoginServer ONE =
      new ReplicaLoginServer("10.213.0.1", "one.azurecr.io.localhost:4001");
  static final ReplicaLoginServer TWO =
      new ReplicaLoginServer("10.213.0.1", "two.azurecr.io.localhost:4002");

  @TempDir Path tmp;
  Path certs;

  @BeforeEach
  void inTheDataDirectory() {
    certs = tmp.resolve("replica-certs"); // made by the extras, as at a first start
  }

  @Test
  void eachLoginServerGetsAHostsLineToTheGatewayAndTheCaInBothBoundCertsDirectories()
      throws Exception {
    ReplicaExtras extras = new ReplicaRegistryExtras(() -> List.of(ONE, TWO), CA, certs).get();

    assertThat(extras.hosts())
        .containsExactly(
            new ReplicaExtras.HostEntry("10.213.0.1", "one.azurecr.io.localhost"),
            new ReplicaExtras.HostEntry("10.213.0.1", "two.azurecr.io.localhost"));
    assertThat(extras.files()).isEmpty();
    assertThat(extras.directories())
        .containsExactly(
            new ReplicaExtras.ReadOnlyDirectory(
                "/etc/containers/certs.d", certs.resolve("containers")),
            new ReplicaExtras.ReadOnlyDirectory("/etc/docker/certs.d", certs.resolve("docker")));
    // The folder above them is the data directory's, private like the rest of it.
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(certs)))
        .isEqualTo("rwx------");
    for (String kind : List.of("containers", "docker")) {
      for (String server :
          List.of("one.azurecr.io.localhost:4001", "two.azurecr.io.localhost:4002")) {
        Path ca = certs.resolve(kind).resolve(server).resolve("ca.crt");
        assertThat(ca).hasContent(CA);
        // Read by any user of the replica, through the read-only bind.
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(ca)))
            .isEqualTo("rw-r--r--");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(ca.getParent())))
            .isEqualTo("rwxr-xr-x");
      }
    }
  }

  @Test
  void aRegistryMadeOrDeletedLaterComesOrGoesInTheSameFolders() throws Exception {
    List<ReplicaLoginServer> now = new ArrayList<>(List.of(ONE));
    ReplicaRegistryExtras extras = new ReplicaRegistryExtras(() -> List.copyOf(now), CA, certs);
    extras.get();
    now.add(TWO);
    extras.get();
    assertThat(certs.resolve("containers/two.azurecr.io.localhost:4002/ca.crt")).hasContent(CA);

    now.remove(ONE);
    extras.get();
    assertThat(certs.resolve("containers/one.azurecr.io.localhost:4001")).doesNotExist();
    assertThat(certs.resolve("docker/one.azurecr.io.localhost:4001")).doesNotExist();
    assertThat(certs.resolve("docker/two.azurecr.io.localhost:4002/ca.crt")).hasContent(CA);
  }

  @Test
  void aFolderLeftByAnEarlierRunIsClearedAtTheFirstSync() throws Exception {
    Files.createDirectories(certs.resolve("containers/gone.azurecr.io.localhost:4009"));

    new ReplicaRegistryExtras(List::of, CA, certs).get();

    assertThat(certs.resolve("containers")).isEmptyDirectory();
    assertThat(certs.resolve("docker")).isEmptyDirectory();
  }

  @Test
  void neverAKey() {
    assertThatThrownBy(
            () -> new ReplicaRegistryExtras(List::of, CA + "-----BEGIN PRIVATE KEY-----\n", certs))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
