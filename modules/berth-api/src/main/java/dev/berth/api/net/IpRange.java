package dev.berth.api.net;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.Optional;

/**
 * An IPv4 or IPv6 address range in CIDR notation ({@code 10.0.0.0/8}, {@code 2001:db8::/32}), a
 * bare address being a range of one ({@code /32}, {@code /128}); parsed without any DNS look-up.
 * The one matcher ACR's network rules and the apps' {@code ipSecurityRestrictions} use. Immutable
 * and thread-safe.
 */
public final class IpRange {

  private final byte[] network;
  private final int bits;
  private final String text;

  private IpRange(byte[] network, int bits, String text) {
    this.network = network;
    this.bits = bits;
    this.text = text;
  }

  /**
   * The range {@code text} names.
   *
   * @throws IllegalArgumentException saying what is wrong with it
   */
  public static IpRange parse(String text) {
    String s = text.strip();
    int slash = s.indexOf('/');
    byte[] address =
        address(slash < 0 ? s : s.substring(0, slash))
            .orElseThrow(
                () -> new IllegalArgumentException("'" + text + "' is not an IP address or CIDR"));
    int max = address.length * 8;
    int bits = max;
    if (slash >= 0) {
      String prefix = s.substring(slash + 1);
      if (prefix.isEmpty() || prefix.length() > 3 || !prefix.chars().allMatch(Character::isDigit)) {
        throw new IllegalArgumentException("'" + text + "' has no prefix length after '/'");
      }
      bits = Integer.parseInt(prefix);
      if (bits > max) {
        throw new IllegalArgumentException(
            "'" + text + "': the prefix length is 0-" + max + ", not " + bits);
      }
    }
    return new IpRange(mask(address, bits), bits, s);
  }

  /** The range {@code text} names, or empty when it names none. */
  public static Optional<IpRange> tryParse(String text) {
    try {
      return Optional.of(parse(text));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  /** Whether {@code address} (a literal IP address in text) lies in this range. */
  public boolean contains(String address) {
    return address(address).map(this::contains).orElse(false);
  }

  /** Whether the raw address (4 or 16 bytes) lies in this range; IPv4 never matches IPv6. */
  public boolean contains(byte[] address) {
    byte[] a = address;
    if (a.length == 16 && network.length == 4 && isMappedIpv4(a)) {
      a = Arrays.copyOfRange(a, 12, 16); // ::ffff:a.b.c.d, as a dual-stack socket reports IPv4
    }
    if (a.length != network.length) {
      return false;
    }
    return Arrays.equals(mask(a, bits), network);
  }

  /** Whether {@code address} lies in this range. */
  public boolean contains(InetAddress address) {
    return contains(address.getAddress());
  }

  @Override
  public String toString() {
    return text;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof IpRange r && bits == r.bits && Arrays.equals(network, r.network);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(network) + bits;
  }

  /** The bytes of an IPv4 dotted quad or an IPv6 literal; empty for anything else (no DNS). */
  static Optional<byte[]> address(String text) {
    String s = text.strip();
    if (s.indexOf(':') < 0) {
      return ipv4(s);
    }
    if (s.startsWith("[") && s.endsWith("]")) {
      s = s.substring(1, s.length() - 1);
    }
    // Only hex digits, ':' and '.' (an embedded IPv4 tail): then getByName parses, never resolves.
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.digit(c, 16) < 0 && c != ':' && c != '.') {
        return Optional.empty();
      }
    }
    try {
      return Optional.of(InetAddress.getByName(s).getAddress());
    } catch (UnknownHostException e) {
      return Optional.empty();
    }
  }

  private static Optional<byte[]> ipv4(String s) {
    String[] parts = s.split("\\.", -1);
    if (parts.length != 4) {
      return Optional.empty();
    }
    byte[] out = new byte[4];
    for (int i = 0; i < 4; i++) {
      String p = parts[i];
      if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(c -> c >= '0' && c <= '9')) {
        return Optional.empty();
      }
      int octet = Integer.parseInt(p);
      if (octet > 255) {
        return Optional.empty();
      }
      out[i] = (byte) octet;
    }
    return Optional.of(out);
  }

  private static boolean isMappedIpv4(byte[] a) {
    for (int i = 0; i < 10; i++) {
      if (a[i] != 0) {
        return false;
      }
    }
    return a[10] == (byte) 0xff && a[11] == (byte) 0xff;
  }

  private static byte[] mask(byte[] address, int bits) {
    byte[] out = address.clone();
    for (int i = 0; i < out.length; i++) {
      int keep = Math.max(0, Math.min(8, bits - i * 8));
      out[i] = (byte) (out[i] & (0xFF00 >> keep));
    }
    return out;
  }
}
