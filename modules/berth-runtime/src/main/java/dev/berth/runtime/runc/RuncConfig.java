package dev.berth.runtime.runc;

import java.nio.file.Path;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * How {@link RuncRuntime} runs replicas on this host. Immutable.
 *
 * @param stateDir replica records, bundles, overlay upper dirs, the address pool and runc's own
 *     state ({@code --root}); one runtime per directory
 * @param runcBinary the runc executable, a name looked up on {@code PATH} or an absolute path
 * @param networkCidr the replicas' subnet; its first address is the bridge's (the gateway). Must
 *     not overlap another network on the host (podman uses 10.88.0.0/16)
 * @param bridgeName the host bridge the replicas' veths join (≤ 15 characters)
 * @param namePrefix prefixes runc container ids, netns names and the cgroup parent, so that two
 *     runtimes (or test runs) never touch each other's objects
 */
public record RuncConfig(
    Path stateDir, String runcBinary, String networkCidr, String bridgeName, String namePrefix) {

  private static final Pattern PREFIX = Pattern.compile("[a-z][a-z0-9]{0,11}");

  public RuncConfig {
    Objects.requireNonNull(stateDir, "stateDir");
    Objects.requireNonNull(runcBinary, "runcBinary");
    Objects.requireNonNull(networkCidr, "networkCidr");
    if (bridgeName.isEmpty() || bridgeName.length() > 15) {
      throw new IllegalArgumentException(
          "bridge name '" + bridgeName + "' must have 1 to 15 characters (a Linux link name)");
    }
    if (!PREFIX.matcher(namePrefix).matches()) {
      throw new IllegalArgumentException(
          "name prefix '" + namePrefix + "' must be [a-z][a-z0-9]{0,11}");
    }
  }

  /** The defaults: runc on PATH, 10.213.0.0/16 on bridge {@code berth0}, prefix {@code berth}. */
  public static RuncConfig defaults(Path stateDir) {
    return new RuncConfig(stateDir, "runc", "10.213.0.0/16", "berth0", "berth");
  }

  public RuncConfig withRuncBinary(String binary) {
    return new RuncConfig(stateDir, binary, networkCidr, bridgeName, namePrefix);
  }

  public RuncConfig withNetwork(String cidr, String bridge) {
    return new RuncConfig(stateDir, runcBinary, cidr, bridge, namePrefix);
  }

  public RuncConfig withNamePrefix(String prefix) {
    return new RuncConfig(stateDir, runcBinary, networkCidr, bridgeName, prefix);
  }
}
