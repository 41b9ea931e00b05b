package dev.berth.runtime.runc.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.runtime.ReplicaExtras;
import dev.berth.runtime.ReplicaExtras.HostEntry;
import dev.berth.runtime.ReplicaExtras.ReadOnlyFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RootFsTest {

  @TempDir Path state;

  private static final ReplicaExtras ONE_REGISTRY =
      new ReplicaExtras(
          List.of(new HostEntry("10.213.0.1", "myacr.azurecr.io.localhost")),
          List.of(
              new ReadOnlyFile(
                  "/etc/containers/certs.d/myacr.azurecr.io.localhost:4000/ca.crt",
                  "-----BEGIN CERTIFICATE-----\n".getBytes(StandardCharsets.US_ASCII))));

  @Test
  void theHostsFileNamesTheReplicaThenTheHostsExtrasAndExtraFilesAreReadableByAll()
      throws Exception {
    StateLayout layout = new StateLayout(state);
    Files.createDirectories(layout.bundle("web-1"));

    RootFs.writeEtcFiles(layout, "web-1", "10.213.0.7", ONE_REGISTRY);

    assertThat(Files.readString(layout.bundle("web-1").resolve("hosts")))
        .isEqualTo(
            "127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n"
                + "10.213.0.7\tweb-1\n10.213.0.1\tmyacr.azurecr.io.localhost\n");
    Path ca = layout.bundle("web-1").resolve("files/0");
    assertThat(Files.readString(ca)).isEqualTo("-----BEGIN CERTIFICATE-----\n");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(ca)))
        .isEqualTo("rw-r--r--");
  }

  @Test
  void aRewriteKeepsTheInodeARunningContainerHasMounted() throws Exception {
    StateLayout layout = new StateLayout(state);
    Files.createDirectories(layout.bundle("web-1"));
    RootFs.writeEtcFiles(layout, "web-1", "10.213.0.7", ReplicaExtras.NONE);
    Path hosts = layout.bundle("web-1").resolve("hosts");
    Object inode = Files.getAttribute(hosts, "unix:ino");
    String alone = Files.readString(hosts);

    RootFs.rewriteHosts(layout, "web-1", "10.213.0.7", ONE_REGISTRY);
    assertThat(Files.readString(hosts))
        .isEqualTo(alone + "10.213.0.1\tmyacr.azurecr.io.localhost\n");
    assertThat(Files.getAttribute(hosts, "unix:ino")).isEqualTo(inode);

    // Shrinking back truncates: no bytes of the longer file are left behind.
    RootFs.rewriteHosts(layout, "web-1", "10.213.0.7", ReplicaExtras.NONE);
    assertThat(Files.readString(hosts)).isEqualTo(alone);
    assertThat(Files.getAttribute(hosts, "unix:ino")).isEqualTo(inode);
  }

  @Test
  void aReplicaWithoutAHostsFileIsLeftAlone() throws Exception {
    StateLayout layout = new StateLayout(state);
    RootFs.rewriteHosts(layout, "gone", "10.213.0.9", ONE_REGISTRY);
    assertThat(layout.bundle("gone")).doesNotExist();
  }
}
