package dev.berth.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Berth's lines in a hosts file: added once, removed by their owner only, stale ones pruned. */
class HostsFileTest {

  @TempDir Path dir;

  private Path hosts() throws Exception {
    Path file = dir.resolve("hosts");
    if (!Files.exists(file)) {
      Files.writeString(file, "127.0.0.1 localhost\n::1 localhost ip6-localhost\n");
    }
    return file;
  }

  @Test
  void aNameIsAddedOnceAfterTheMachinesOwnLinesAndRemovedAgain() throws Exception {
    Path data = Files.createDirectory(dir.resolve("data"));
    HostsFile h = new HostsFile(hosts(), data);
    h.add("MyAcr.azurecr.io.localhost");
    h.add("myacr.azurecr.io.localhost");
    assertThat(Files.readAllLines(hosts()))
        .containsExactly(
            "127.0.0.1 localhost",
            "::1 localhost ip6-localhost",
            "127.0.0.1 myacr.azurecr.io.localhost # berth " + data.toAbsolutePath());
    h.remove("myacr.azurecr.io.localhost");
    assertThat(Files.readString(hosts()))
        .isEqualTo("127.0.0.1 localhost\n::1 localhost ip6-localhost\n");
  }

  @Test
  void anotherBerthsLinesStayAndAGoneBerthsLinesArePruned() throws Exception {
    Path mine = Files.createDirectory(dir.resolve("mine"));
    Path other = Files.createDirectory(dir.resolve("other"));
    Path gone = dir.resolve("gone");
    Files.writeString(
        hosts(),
        "127.0.0.1 crashed.azurecr.io.localhost # berth " + gone.toAbsolutePath() + "\n",
        java.nio.file.StandardOpenOption.APPEND);
    HostsFile a = new HostsFile(hosts(), mine);
    HostsFile b = new HostsFile(hosts(), other);
    a.add("acr.azurecr.io.localhost");
    b.add("acr.azurecr.io.localhost");
    a.remove("acr.azurecr.io.localhost");
    assertThat(Files.readString(hosts()))
        .contains("acr.azurecr.io.localhost # berth " + other.toAbsolutePath())
        .doesNotContain("# berth " + mine.toAbsolutePath());
    a.add("two.azurecr.io.localhost");
    a.removeStale();
    assertThat(Files.readAllLines(hosts()))
        .containsExactly(
            "127.0.0.1 localhost",
            "::1 localhost ip6-localhost",
            "127.0.0.1 acr.azurecr.io.localhost # berth " + other.toAbsolutePath());
  }
}
