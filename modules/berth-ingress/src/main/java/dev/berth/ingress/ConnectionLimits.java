package dev.berth.ingress;

import java.time.Duration;
import java.util.Objects;

/**
 * What bounds the ingress' client connections: how many in all, the cap per address (shared with
 * the server's other listeners), how long a connection may take to send a request's head, how long
 * a kept-alive connection may sit idle between requests, and the size of a request's head. A value;
 * thread-safe.
 *
 * @param maxConnections client connections open at once on every ingress listener; more are closed
 *     as they are accepted
 * @param perPeer the cap per address
 * @param requestHeaderTimeout from a connection's accept to the end of its first request's head
 * @param idleTimeout from the end of one answer to the end of the next request's head
 * @param maxRequestHeaderBytes the request line and the headers, each at most this long; longer is
 *     answered 431 (or 414 for the line)
 */
public record ConnectionLimits(
    int maxConnections,
    PeerGate perPeer,
    Duration requestHeaderTimeout,
    Duration idleTimeout,
    int maxRequestHeaderBytes) {

  public ConnectionLimits {
    if (maxConnections < 1) {
      throw new IllegalArgumentException("at least one connection");
    }
    Objects.requireNonNull(perPeer, "perPeer");
    if (requestHeaderTimeout.isNegative() || requestHeaderTimeout.isZero()) {
      throw new IllegalArgumentException("the header timeout must be positive");
    }
    if (idleTimeout.isNegative() || idleTimeout.isZero()) {
      throw new IllegalArgumentException("the idle timeout must be positive");
    }
    if (maxRequestHeaderBytes < 1024) {
      throw new IllegalArgumentException("request heads of at least 1 KiB");
    }
  }

  /** Generous limits for tests and benchmarks: 10 000 connections, no cap per address. */
  public static ConnectionLimits lenient() {
    return new ConnectionLimits(
        10_000, PeerGate.OPEN, Duration.ofSeconds(10), Duration.ofSeconds(30), 16 * 1024);
  }
}
