package dev.berth.ingress;

import java.net.InetSocketAddress;

/**
 * Where a request came from and where it came in: the connection's peer and the local address it
 * reached. The ingress judges IP restrictions on {@code peer} and internal apps on both. A value;
 * thread-safe.
 */
public record Caller(InetSocketAddress local, InetSocketAddress peer) {

  /** The peer's address as text ({@code 127.0.0.1}), as {@code X-Forwarded-For} names it. */
  public String peerAddress() {
    return peer.getAddress() == null ? peer.getHostString() : peer.getAddress().getHostAddress();
  }

  /** The local address as text. */
  public String localAddress() {
    return local.getAddress() == null ? local.getHostString() : local.getAddress().getHostAddress();
  }
}
