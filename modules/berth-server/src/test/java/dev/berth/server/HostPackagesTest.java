package dev.berth.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * What {@code berth up} does about missing replica tools, on a fake machine: installs them with the
 * package manager as root (saying so first), prints the exact command otherwise, and does nothing
 * when all are there. Nothing is installed or removed on the machine that runs the test.
 */
class HostPackagesTest {

  /** A machine with these tools; an install makes the packages' tools appear. */
  static final class FakeHost implements HostPackages.Host {
    final Set<String> tools;
    final boolean root;
    final List<List<String>> ran = new ArrayList<>();
    int installExit;

    FakeHost(boolean root, String... tools) {
      this.root = root;
      this.tools = new HashSet<>(List.of(tools));
    }

    @Override
    public boolean has(String tool) {
      return tools.contains(tool);
    }

    @Override
    public boolean isRoot() {
      return root;
    }

    @Override
    public int run(List<String> command, Map<String, String> environment) {
      ran.add(command);
      if (command.contains("install") && installExit == 0) {
        if (command.contains("runc")) {
          tools.add("runc");
        }
        if (command.contains("iproute2") || command.contains("iproute")) {
          tools.add("ip");
        }
      }
      return command.contains("install") ? installExit : 0;
    }
  }

  private final StringWriter out = new StringWriter();

  private boolean ensure(FakeHost host) throws Exception {
    return new HostPackages(host, new PrintWriter(out, true)).ensure();
  }

  @Test
  void asRootItInstallsWhatIsMissingWithAptAndSaysSoFirst() throws Exception {
    FakeHost host = new FakeHost(true, "apt-get", "setsid");

    assertThat(ensure(host)).isTrue();

    assertThat(host.ran)
        .containsExactly(
            List.of("apt-get", "update"),
            List.of("apt-get", "install", "-y", "--no-install-recommends", "runc", "iproute2"));
    assertThat(out.toString())
        .contains("installing runc and iproute2 with apt-get")
        .contains("apt-get install -y --no-install-recommends runc iproute2");
  }

  @Test
  void withoutRootItPrintsTheExactCommandAndInstallsNothing() throws Exception {
    FakeHost host = new FakeHost(false, "apt-get", "setsid", "ip");

    assertThat(ensure(host)).isFalse();

    assertThat(host.ran).isEmpty();
    assertThat(out.toString())
        .contains("sudo apt-get install -y --no-install-recommends runc")
        .contains("--runtime none");
  }

  @Test
  void onFedoraThePackageIsCalledIproute() throws Exception {
    FakeHost host = new FakeHost(true, "dnf", "runc", "setsid");

    assertThat(ensure(host)).isTrue();

    assertThat(host.ran).containsExactly(List.of("dnf", "install", "-y", "iproute"));
  }

  @Test
  void whenEverythingIsThereNothingRunsAndNothingIsSaid() throws Exception {
    FakeHost host = new FakeHost(true, "apt-get", "runc", "ip", "setsid");

    assertThat(ensure(host)).isTrue();

    assertThat(host.ran).isEmpty();
    assertThat(out.toString()).isEmpty();
  }

  @Test
  void aFailedInstallIsReportedWithItsExitCode() throws Exception {
    FakeHost host = new FakeHost(true, "apt-get", "setsid", "ip");
    host.installExit = 100;

    assertThat(ensure(host)).isFalse();

    assertThat(out.toString()).contains("failed (exit 100)").contains("--runtime none");
  }

  @Test
  void withoutAPackageManagerItNamesTheTools() throws Exception {
    FakeHost host = new FakeHost(true, "setsid");

    assertThat(ensure(host)).isFalse();

    assertThat(host.ran).isEmpty();
    assertThat(out.toString()).contains("runc, ip");
  }
}
