package dev.berth.registry.auth.internal;

import dev.berth.http.HttpExchange;
import dev.berth.registry.Registry;
import dev.berth.registry.RegistryErrorCode;
import dev.berth.registry.RegistryException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;

/**
 * A registry's network rules judged on the connection's real peer address: {@code
 * publicNetworkAccess: Disabled} refuses everyone, {@code defaultAction: Deny} everyone outside the
 * IPv4 {@code ipRules}. Loopback is not special. Stateless.
 *
 * @see <a
 *     href="https://learn.microsoft.com/azure/container-registry/container-registry-access-selected-networks">ACR
 *     network rules</a> (reference acr-auth.md §3.4)
 */
public final class NetworkPolicy {

  private NetworkPolicy() {}

  /**
   * @throws RegistryException {@code DENIED} (403) with ACR's firewall message
   */
  public static void check(HttpExchange exchange, Registry registry) {
    if (registry.publicNetworkAccess() && !registry.denyByDefault()) {
      return;
    }
    InetAddress peer = exchange.remoteAddress().map(InetSocketAddress::getAddress).orElse(null);
    String ip = peer == null ? "unknown" : peer.getHostAddress();
    if (registry.publicNetworkAccess() && peer != null && allowed(peer, registry.ipRules())) {
      return;
    }
    throw RegistryException.of(
        RegistryErrorCode.DENIED,
        "client with IP '"
            + ip
            + "' is not allowed access. Refer https://aka.ms/acr/firewall to grant access.");
  }

  /** True when {@code address} lies in one of the IPv4 CIDR rules (a bare address is a /32). */
  public static boolean allowed(InetAddress address, List<String> rules) {
    if (!(address instanceof Inet4Address)) {
      return false; // ACR's ipRules are IPv4 only.
    }
    long ip = toLong(address.getAddress());
    for (String rule : rules) {
      int slash = rule.indexOf('/');
      String base = slash < 0 ? rule : rule.substring(0, slash);
      int bits;
      long network;
      try {
        bits = slash < 0 ? 32 : Integer.parseInt(rule.substring(slash + 1).strip());
        network = parseIpv4(base.strip());
      } catch (IllegalArgumentException e) {
        continue; // A malformed rule admits nobody; the control plane validates rules on write.
      }
      if (bits < 0 || bits > 32) {
        continue;
      }
      long mask = bits == 0 ? 0 : (0xFFFFFFFFL << (32 - bits)) & 0xFFFFFFFFL;
      if ((ip & mask) == (network & mask)) {
        return true;
      }
    }
    return false;
  }

  private static long parseIpv4(String text) {
    String[] parts = text.split("\\.", -1);
    if (parts.length != 4) {
      throw new IllegalArgumentException("not IPv4: " + text);
    }
    long v = 0;
    for (String p : parts) {
      int octet = Integer.parseInt(p);
      if (octet < 0 || octet > 255) {
        throw new IllegalArgumentException("not IPv4: " + text);
      }
      v = (v << 8) | octet;
    }
    return v;
  }

  private static long toLong(byte[] b) {
    return ((b[0] & 0xFFL) << 24) | ((b[1] & 0xFFL) << 16) | ((b[2] & 0xFFL) << 8) | (b[3] & 0xFFL);
  }
}
