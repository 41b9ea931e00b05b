package dev.berth.runtime.runc.internal;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The host side of replica networking: one bridge holding the gateway address, and per replica a
 * network namespace joined to the bridge by a veth pair. Uses two {@code ip -batch} calls per
 * replica (about 5 ms). Never touches ip_forward or iptables. Thread-safe.
 */
public final class HostNetwork {

  /** The host's IPv4 routes of its main table, as the kernel lists them. */
  private static final Path ROUTES = Path.of("/proc/net/route");

  private final Subnet subnet;
  private final String bridge;

  public HostNetwork(Subnet subnet, String bridge) {
    this.subnet = subnet;
    this.bridge = bridge;
  }

  /**
   * Creates the bridge with the gateway address and its fixed MAC address, if missing, and sets it
   * up.
   *
   * <p>A bridge whose MAC was never set takes the lowest MAC of its ports, so it changes whenever
   * that port's replica stops. Replicas still address the gateway by the MAC they learned, and the
   * bridge drops those frames until their neighbour entry expires (15 to 45 s): every answer the
   * other replicas sent in that time was lost, and the requests waiting for them hung. A MAC set
   * explicitly stays, as Docker and libvirt set theirs.
   *
   * @throws IOException when a route of this host on another device covers part of the subnet
   *     ({@link #clash}), or an {@code ip} command fails
   */
  public synchronized void ensureBridge() throws IOException {
    if (Files.isReadable(ROUTES)) {
      Optional<String> clash = clash(subnet, bridge, Files.readAllLines(ROUTES));
      if (clash.isPresent()) {
        throw new IOException(clash.get());
      }
    }
    String gateway = Subnet.format(subnet.gateway()) + "/" + subnet.prefixLength();
    if (!Command.run(List.of("ip", "link", "show", "dev", bridge)).ok()) {
      batch(List.of(), "link add " + bridge + " type bridge");
    }
    String addresses =
        Command.run(List.of("ip", "-o", "addr", "show", "dev", bridge)).check().stdout();
    if (!addresses.contains(" " + gateway + " ")) {
      batch(List.of(), "addr add " + gateway + " dev " + bridge);
    }
    String mac = macFor(subnet.gateway());
    String link = Command.run(List.of("ip", "-o", "link", "show", "dev", bridge)).check().stdout();
    if (!link.contains("link/ether " + mac + " ")) {
      batch(List.of(), "link set " + bridge + " address " + mac);
    }
    batch(List.of(), "link set " + bridge + " up");
  }

  /**
   * Why replicas may not use {@code subnet} on {@code bridge}: a route of this host on another
   * device covers part of it, so the bridge's route and that one would each take some of the
   * other's traffic (Docker makes the same check before it makes a network). A default route
   * clashes with nothing. Empty when no route clashes.
   *
   * @param routes the lines of {@code /proc/net/route}, its header first
   */
  static Optional<String> clash(Subnet subnet, String bridge, List<String> routes) {
    for (String line : routes.subList(Math.min(1, routes.size()), routes.size())) {
      String[] fields = line.strip().split("\\s+");
      if (fields.length < 8 || fields[0].equals(bridge)) {
        continue;
      }
      int mask;
      int destination;
      try {
        mask = routeAddress(fields[7]);
        destination = routeAddress(fields[1]);
      } catch (NumberFormatException e) {
        continue;
      }
      if (mask == 0) {
        continue;
      }
      Subnet route = new Subnet(destination & mask, Integer.bitCount(mask));
      if (route.overlaps(subnet)) {
        return Optional.of(
            "the replica network "
                + subnet
                + " overlaps "
                + route
                + ", which this host routes through "
                + fields[0]
                + ": choose another range");
      }
    }
    return Optional.empty();
  }

  /** An address of {@code /proc/net/route}: hexadecimal, in the machine's byte order. */
  private static int routeAddress(String hex) {
    int value = Integer.parseUnsignedInt(hex, 16);
    return ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN ? Integer.reverseBytes(value) : value;
  }

  /** Deletes {@code bridge}, if it is there. */
  public static void deleteBridge(String bridge) throws IOException {
    Command.run(List.of("ip", "link", "del", bridge)); // gone already: nothing to do
  }

  /**
   * Creates namespace {@code netns} with {@code eth0} at {@code address}, {@code lo} up and the
   * default route via the gateway.
   */
  public void attach(String netns, String veth, int address) throws IOException {
    batch(
        List.of(),
        "netns add " + netns,
        "link add "
            + veth
            + " type veth peer name eth0 address "
            + macFor(address)
            + " netns "
            + netns,
        "link set " + veth + " master " + bridge + " up");
    batch(
        List.of("-n", netns),
        "addr add " + Subnet.format(address) + "/" + subnet.prefixLength() + " dev eth0",
        "link set eth0 up",
        "link set lo up",
        "route add default via " + Subnet.format(subnet.gateway()));
  }

  /**
   * The MAC address of a replica or of the bridge (the gateway), made from its IP address as Docker
   * makes its own ({@code 02:42:<ip>}; Berth's is {@code 02:b7:<ip>}, locally administered): an
   * address handed to a new replica keeps the MAC the host's neighbour table already holds for it.
   * A random MAC made the host send a reused address's packets to the old replica's MAC for as long
   * as that stale entry lived (tens of seconds), which stalled probes and requests after every
   * scale to zero.
   */
  static String macFor(int address) {
    return String.format(
        Locale.ROOT,
        "02:b7:%02x:%02x:%02x:%02x",
        (address >>> 24) & 0xff,
        (address >>> 16) & 0xff,
        (address >>> 8) & 0xff,
        address & 0xff);
  }

  /** Deletes the namespace, which also destroys its veth pair. No error when it is gone. */
  public void detach(String netns, String veth) throws IOException {
    if (Files.exists(Path.of("/run/netns", netns))) {
      Command.run(List.of("ip", "netns", "del", netns)).check();
    }
    // A namespace that failed half-way may leave the host end behind.
    if (Command.run(List.of("ip", "link", "show", "dev", veth)).ok()) {
      Command.run(List.of("ip", "link", "del", veth));
    }
  }

  /** A veth name for {@code key} that fits Linux's 15 characters: {@code veth} + 10 hex. */
  public static String vethName(String key) {
    try {
      byte[] hash =
          MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
      return "veth" + HexFormat.of().formatHex(hash).substring(0, 10);
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError("every JDK has SHA-256", e);
    }
  }

  private static void batch(List<String> options, String... lines) throws IOException {
    var command = new ArrayList<String>();
    command.add("ip");
    command.addAll(options);
    command.addAll(List.of("-batch", "-"));
    Command.run(command, String.join("\n", lines) + "\n").check();
  }
}
