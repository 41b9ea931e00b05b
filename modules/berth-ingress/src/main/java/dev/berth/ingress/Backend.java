package dev.berth.ingress;

import java.util.Objects;

/**
 * One replica the ingress may send a request to: its address and the app's {@code targetPort}. A
 * value; thread-safe.
 *
 * @param host the replica's IP address (or a name, in tests)
 * @param port the port the app listens on inside the replica (ingress {@code targetPort})
 */
public record Backend(String host, int port) {

  public Backend {
    Objects.requireNonNull(host, "host");
    if (port < 1 || port > 65_535) {
      throw new IllegalArgumentException("a backend's port is 1-65535, not " + port);
    }
  }

  /** {@code host:port}, with an IPv6 address in brackets. */
  public String authority() {
    return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
  }
}
