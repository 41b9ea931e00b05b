package dev.berth.ingress.internal;

import dev.berth.ingress.ConnectionLimits;
import io.netty.channel.Channel;
import io.netty.handler.codec.http2.DefaultHttp2ResetFrame;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2StreamChannel;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Caps the ingress' client connections in total and per address: a connection over either cap is
 * closed as it is accepted, before it costs a TLS handshake or a buffer. An HTTP/2 stream is
 * counted as a connection is, against the same caps, for as long as it is open: an HTTP/1.1
 * connection carries one request at a time, a stream is one, so either way an address holds no more
 * requests at once than the cap per address (and the ingress no more than its total), however many
 * streams each connection may open. Thread-safe.
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
    String cap = count(channel);
    if (cap == null) {
      return true;
    }
    warn("connections", cap);
    channel.close();
    return false;
  }

  /**
   * Counts {@code stream} until it closes; false when it is over a cap, and then refused with
   * {@code REFUSED_STREAM}, which tells the client nothing of it was processed (RFC 9113 §8.7).
   */
  boolean admit(Http2StreamChannel stream) {
    String cap = count(stream);
    if (cap == null) {
      return true;
    }
    warn("requests", cap);
    stream.writeAndFlush(new DefaultHttp2ResetFrame(Http2Error.REFUSED_STREAM));
    return false;
  }

  /** Counts {@code channel} from its peer's address; null, or the cap it is over (not counted). */
  private String count(Channel channel) {
    InetAddress peer =
        channel.remoteAddress() instanceof InetSocketAddress remote ? remote.getAddress() : null;
    if (open.incrementAndGet() > limits.maxConnections()) {
      open.decrementAndGet();
      return "the ingress' cap of " + limits.maxConnections();
    }
    if (peer != null && !limits.perPeer().admit(peer)) {
      open.decrementAndGet();
      return "the cap per address, for " + peer.getHostAddress();
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
    return null;
  }

  private void warn(String what, String cap) {
    if (refused.getAndIncrement() % 1000 == 0) {
      LOG.warn("ingress {} are over {}; refusing more ({} so far)", what, cap, refused.get());
    }
  }
}
