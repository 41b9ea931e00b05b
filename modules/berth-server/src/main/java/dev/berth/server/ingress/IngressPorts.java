package dev.berth.server.ingress;

/**
 * The ports the apps' ingress listens on, HTTPS and HTTP, each a port number, {@link #OFF}, or
 * (tests) {@link #ANY_FREE}; and for each, the port used instead when it cannot be bound (not root,
 * or taken), or {@link #OFF} to fail the start then. A value; thread-safe.
 */
public record IngressPorts(int https, int httpsFallback, int http, int httpFallback) {

  /** No listener (as a port), or no fallback. */
  public static final int OFF = 0;

  /** Any free port the system picks (tests, which run beside other Berths). */
  public static final int ANY_FREE = -1;

  /**
   * 443 and 80, so URLs carry no port, as in Container Apps; where Berth may not bind them, 10443
   * and 10080 (the usual ports behind "10", away from the API's 8443 and the common 8080).
   */
  public static final IngressPorts DEFAULTS = new IngressPorts(443, 10443, 80, 10080);

  /** No ingress listeners. */
  public static final IngressPorts NONE = new IngressPorts(OFF, OFF, OFF, OFF);

  public IngressPorts {
    check("HTTPS", https);
    check("HTTP", http);
    check("HTTPS fallback", httpsFallback);
    check("HTTP fallback", httpFallback);
  }

  /** Ports the system picks (tests). */
  public static IngressPorts anyFree() {
    return new IngressPorts(ANY_FREE, OFF, ANY_FREE, OFF);
  }

  private static void check(String which, int port) {
    if (port < ANY_FREE || port > 65_535) {
      throw new IllegalArgumentException(
          "the ingress " + which + " port is 1-65535, or 0 for none: " + port);
    }
  }
}
