package dev.berth.server.limits;

import dev.berth.ingress.PeerGate;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SocketChannel;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.io.SelectorManager;
import org.eclipse.jetty.util.IO;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Caps the connections one source address holds on the listeners it is added to (as a bean of each
 * connector, before the connector starts): a connection over the cap is closed as it is accepted,
 * before it costs a TLS handshake or a buffer. Jetty caps connections only in total ({@link
 * org.eclipse.jetty.server.NetworkConnectionLimit}), which one peer alone can fill. Thread-safe.
 */
public final class PeerConnectionLimit implements SelectorManager.AcceptListener, PeerGate {

  private static final Logger LOG = LoggerFactory.getLogger(PeerConnectionLimit.class);

  private final String name;
  private final int maxPerPeer;

  /** Open connections per address; an address leaves the map with its last connection. */
  private final Map<InetAddress, Integer> perPeer = new ConcurrentHashMap<>();

  /**
   * Which address each counted channel was counted for: a closed channel no longer tells its remote
   * address, and a channel must be uncounted once only.
   */
  private final Map<SelectableChannel, InetAddress> counted = new ConcurrentHashMap<>();

  private final AtomicLong refused = new AtomicLong();

  /**
   * @param name what the log calls these listeners ("HTTPS", "identity endpoint")
   */
  public PeerConnectionLimit(String name, int maxPerPeer) {
    if (maxPerPeer <= 0) {
      throw new IllegalArgumentException("maxPerPeer must be positive: " + maxPerPeer);
    }
    this.name = name;
    this.maxPerPeer = maxPerPeer;
  }

  /** Connections this address holds now. */
  public int connections(InetAddress peer) {
    return perPeer.getOrDefault(peer, 0);
  }

  /** Connections refused so far for being over the cap. */
  public long refused() {
    return refused.get();
  }

  @Override
  public void onAccepting(SelectableChannel channel) {
    InetAddress peer = peerOf(channel);
    if (peer == null) {
      return;
    }
    if (!admit(peer)) {
      // Jetty then reports the accept as failed (a closed channel cannot be registered).
      IO.close(channel);
      return;
    }
    counted.put(channel, peer);
  }

  /** Counts a connection from {@code peer} (the apps' ingress' too): false when over the cap. */
  @Override
  public boolean admit(InetAddress peer) {
    int[] now = new int[1];
    perPeer.compute(
        peer,
        (address, held) -> {
          now[0] = held == null ? 1 : held + 1;
          return now[0] > maxPerPeer ? held : now[0];
        });
    if (now[0] > maxPerPeer) {
      if (refused.getAndIncrement() % 1000 == 0) {
        LOG.warn(
            "{} connections from {} are over the cap of {} per address; refusing more ({} so far)",
            name,
            peer.getHostAddress(),
            maxPerPeer,
            refused.get());
      }
      return false;
    }
    return true;
  }

  @Override
  public void left(InetAddress peer) {
    perPeer.computeIfPresent(peer, (address, held) -> held <= 1 ? null : held - 1);
  }

  @Override
  public void onAcceptFailed(SelectableChannel channel, Throwable cause) {
    uncount(channel);
  }

  @Override
  public void onClosed(SelectableChannel channel) {
    uncount(channel);
  }

  private void uncount(SelectableChannel channel) {
    InetAddress peer = counted.remove(channel);
    if (peer != null) {
      left(peer);
    }
  }

  private static InetAddress peerOf(SelectableChannel channel) {
    if (channel instanceof SocketChannel socket) {
      try {
        if (socket.getRemoteAddress() instanceof InetSocketAddress remote) {
          return remote.getAddress();
        }
      } catch (IOException e) {
        // closed already: nothing to count
      }
    }
    return null;
  }
}
