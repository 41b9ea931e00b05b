package dev.berth.reconciler.diagnosis.internal;

import java.util.List;

/**
 * Whether an IPv4 address lies in a registry's IP rules ({@code a.b.c.d} or {@code a.b.c.d/n}; a
 * bare address is a /32), as the registry's network policy judges it. Stateless.
 */
final class Ipv4Range {

  private Ipv4Range() {}

  /**
   * True when {@code address} is covered by one of {@code rules}; malformed rules cover nothing.
   */
  static boolean covered(String address, List<String> rules) {
    long ip;
    try {
      ip = parse(address);
    } catch (IllegalArgumentException e) {
      return false; // ACR's IP rules are IPv4 only.
    }
    for (String rule : rules) {
      int slash = rule.indexOf('/');
      try {
        long network = parse(slash < 0 ? rule : rule.substring(0, slash));
        int bits = slash < 0 ? 32 : Integer.parseInt(rule.substring(slash + 1).strip());
        if (bits < 0 || bits > 32) {
          continue;
        }
        long mask = bits == 0 ? 0 : (0xFFFFFFFFL << (32 - bits)) & 0xFFFFFFFFL;
        if ((ip & mask) == (network & mask)) {
          return true;
        }
      } catch (IllegalArgumentException e) {
        // A malformed rule admits nobody.
      }
    }
    return false;
  }

  private static long parse(String text) {
    String[] parts = text.strip().split("\\.", -1);
    if (parts.length != 4) {
      throw new IllegalArgumentException("not IPv4: " + text);
    }
    long value = 0;
    for (String part : parts) {
      int octet = Integer.parseInt(part);
      if (octet < 0 || octet > 255) {
        throw new IllegalArgumentException("not IPv4: " + text);
      }
      value = (value << 8) | octet;
    }
    return value;
  }
}
