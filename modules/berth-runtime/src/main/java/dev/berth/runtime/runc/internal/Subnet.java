package dev.berth.runtime.runc.internal;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * An IPv4 network in CIDR form: its first host address is the gateway (the bridge), the rest up to
 * the broadcast address are for replicas. Immutable.
 */
public record Subnet(int network, int prefixLength) {

  /**
   * Parses {@code a.b.c.d/n}.
   *
   * @throws IllegalArgumentException naming what is wrong
   */
  public static Subnet parse(String cidr) {
    String[] parts = cidr.strip().split("/");
    if (parts.length != 2) {
      throw new IllegalArgumentException("network '" + cidr + "' is not in CIDR form a.b.c.d/n");
    }
    int length = Integer.parseInt(parts[1]);
    if (length < 8 || length > 29) {
      throw new IllegalArgumentException(
          "network '" + cidr + "' must have a prefix length from /8 to /29");
    }
    String[] octets = parts[0].split("\\.");
    if (octets.length != 4) {
      throw new IllegalArgumentException("network '" + cidr + "' is not an IPv4 address");
    }
    int address = 0;
    for (String octet : octets) {
      int value = Integer.parseInt(octet);
      if (value < 0 || value > 255) {
        throw new IllegalArgumentException("network '" + cidr + "' has a bad octet " + octet);
      }
      address = (address << 8) | value;
    }
    int mask = -1 << (32 - length);
    Subnet subnet = new Subnet(address & mask, length);
    if (Subnet.parse0("10.88.0.0/16").overlaps(subnet)) {
      throw new IllegalArgumentException(
          "network '" + cidr + "' overlaps podman's default 10.88.0.0/16: choose another range");
    }
    return subnet;
  }

  private static Subnet parse0(String cidr) {
    String[] parts = cidr.split("[./]");
    int address = 0;
    for (int i = 0; i < 4; i++) {
      address = (address << 8) | Integer.parseInt(parts[i]);
    }
    return new Subnet(address, Integer.parseInt(parts[4]));
  }

  private int mask() {
    return -1 << (32 - prefixLength);
  }

  boolean overlaps(Subnet other) {
    int mask = prefixLength < other.prefixLength ? mask() : other.mask();
    return (network & mask) == (other.network & mask);
  }

  /** The gateway, {@code network + 1}. */
  public int gateway() {
    return network + 1;
  }

  /** The first address a replica may get. */
  public int firstHost() {
    return network + 2;
  }

  /** The last address a replica may get (below the broadcast address). */
  public int lastHost() {
    return (network | ~mask()) - 1;
  }

  public boolean contains(int address) {
    return (address & mask()) == network;
  }

  public static String format(int address) {
    return (address >>> 24)
        + "."
        + ((address >>> 16) & 255)
        + "."
        + ((address >>> 8) & 255)
        + "."
        + (address & 255);
  }

  public static int toInt(String address) {
    return parse0(address + "/32").network;
  }

  public static InetAddress inet(int address) {
    try {
      return InetAddress.getByAddress(
          new byte[] {
            (byte) (address >>> 24), (byte) (address >>> 16), (byte) (address >>> 8), (byte) address
          });
    } catch (UnknownHostException e) {
      throw new AssertionError("four bytes are always an address", e);
    }
  }

  @Override
  public String toString() {
    return format(network) + "/" + prefixLength;
  }
}
