package dev.berth.ingress.internal;

import dev.berth.ingress.ConnectionLimits;
import io.netty.channel.Channel;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Caps the ingress' client connections in total and per address: a connection over either cap is
 * closed as it is accepted, before it costs a TLS handshake or a buffer. Thread-safe.
 */
// Netty's writes, closes and timers report failure through the pipeline (exceptionCaught,
// channelInactive) and the close listeners here, not through the futures they return.
@SuppressWarnings("FutureReturnValueIgnored")
public final class ConnectionGuard {

  private static final Logger LOG = LoggerFactory.getLogger(ConnectionGuard.class);

  private final ConnectionLimits limits;
  private final AtomicInteger open = new AtomicInteger();
  private final AtomicLong refused = new AtomicLong();

  public ConnectionGuard(ConnectionLimits limits) {
    this.limits = limits;
  }

  /** Counts {@code channel} until it closes; false (and closed) when it is over a cap. */
  boolean admit(Channel channel) {
    InetAddress peer =
        channel.remoteAddress() instanceof InetSocketAddress remote ? remote.getAddress() : null;
    if (open.incrementAndGet() > limits.maxConnections()) {
      open.decrementAndGet();
      return refuse(channel, "the ingress' cap of " + limits.maxConnections() + " connections");
    }
    if (peer != null && !limits.perPeer().admit(peer)) {
      open.decrementAndGet();
      return refuse(channel, "the cap per address, for " + peer.getHostAddress());
    }
    channel
        .closeFuture()
        .addListener(
            closed -> {
              open.decrementAndGet();
              if (peer != null) {
                limits.perPeer().left(peer);
              }
            });
    return true;
  }

  private boolean refuse(Channel channel, String cap) {
    if (refused.getAndIncrement() % 1000 == 0) {
      LOG.warn("ingress connections are over {}; refusing more ({} so far)", cap, refused.get());
    }
    channel.close();
    return false;
  }
}
