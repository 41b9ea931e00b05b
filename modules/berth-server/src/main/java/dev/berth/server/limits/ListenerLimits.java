package dev.berth.server.limits;

import com.sun.management.UnixOperatingSystemMXBean;
import dev.berth.ingress.ConnectionLimits;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import org.eclipse.jetty.io.ArrayByteBufferPool;
import org.eclipse.jetty.server.ConnectionFactory;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.ScheduledExecutorScheduler;
import org.eclipse.jetty.util.thread.VirtualThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts {@link Limits} on a Jetty server: builds the server (its thread pool and buffer pool), its
 * listeners (caps in total and per address, idle timeouts), the HTTP configuration (header size,
 * per-request idle timeout) and the handlers that bound concurrent requests, and runs the request
 * header deadline and the collection after a surge of connections. The one place where Berth's
 * listeners get their limits. Thread-safe.
 */
public final class ListenerLimits {

  private static final Logger LOG = LoggerFactory.getLogger(ListenerLimits.class);
  private static final int ACCEPT_QUEUE = 1024;

  private final Limits limits;
  private final Server server;
  private final TotalConnectionLimit total;
  private final PeerConnectionLimit https;
  private final PeerConnectionLimit identity;
  private final RequestHeaderDeadline headerDeadline;

  private ListenerLimits(Limits limits, Server server) {
    this.limits = limits;
    this.server = server;
    this.total = new TotalConnectionLimit(limits.maxConnections(), server);
    // At the cap, connections that sit idle make room sooner.
    total.setEndPointIdleTimeout(limits.requestHeaderTimeout().toMillis());
    // One count per address across every HTTPS listener: a registry port is no second allowance.
    this.https = new PeerConnectionLimit("HTTPS", limits.maxConnectionsPerPeer());
    this.identity =
        new PeerConnectionLimit("identity endpoint", limits.maxIdentityConnectionsPerReplica());
    this.headerDeadline = new RequestHeaderDeadline(server, limits.requestHeaderTimeout());
    // A surge is an eighth of the cap (512 connections with the defaults), far above daily use.
    AfterSurge afterSurge =
        new AfterSurge(server, total::getNetworkConnectionCount, limits.maxConnections() / 8);
    server.addBean(total);
    server.addBean(headerDeadline);
    server.addBean(afterSurge);
  }

  /**
   * A Jetty server with these limits, lowered to fit this process's file-descriptor limit: its
   * virtual threads may run as many tasks at once as there can be connections and requests (Jetty's
   * default of 200 let 200 blocked closes stop the whole server), and its buffer pool keeps at most
   * {@code maxPooledHeapBytes} of heap and {@code maxPooledDirectBytes} of direct buffers.
   */
  public static ListenerLimits newServer(Limits wanted) {
    Limits limits = wanted.forDescriptorLimit(maxDescriptors());
    if (limits.maxConnections() < wanted.maxConnections()) {
      LOG.info(
          "at most {} connections: half of this process's file-descriptor limit ({})",
          limits.maxConnections(),
          maxDescriptors());
    }
    VirtualThreadPool threads =
        new VirtualThreadPool(limits.maxConnections() + limits.maxConcurrentRequests());
    threads.setName("berth");
    ArrayByteBufferPool buffers =
        new ArrayByteBufferPool(
            0,
            -1,
            -1,
            Integer.MAX_VALUE,
            limits.maxPooledHeapBytes(),
            limits.maxPooledDirectBytes());
    Server server =
        new Server(threads, new ScheduledExecutorScheduler("berth-scheduler", false), buffers);
    return new ListenerLimits(limits, server);
  }

  public Server server() {
    return server;
  }

  public Limits limits() {
    return limits;
  }

  /** An HTTPS (or other public) listener with the total and per-address caps and idle timeout. */
  public ServerConnector publicListener(ConnectionFactory... factories) {
    return listener(https, factories);
  }

  /** The managed-identity endpoint's listener: each replica's address gets its own small cap. */
  public ServerConnector identityListener(ConnectionFactory... factories) {
    return listener(identity, factories);
  }

  private ServerConnector listener(PeerConnectionLimit perPeer, ConnectionFactory... factories) {
    // Jetty's default of one acceptor thread: with none (the selector accepting), a listener
    // that stops accepting at the total cap and starts again can close its own port (Jetty
    // 12.1.14 re-registers the channel before the cancelled key is gone, and closes it on the
    // CancelledKeyException).
    ServerConnector connector = new ServerConnector(server, factories);
    // The kernel's queue of connections not yet accepted: Java's default of 50 overflowed in a
    // flood, and a dropped connect costs the client 1 s, then 3 s, before it tries again.
    connector.setAcceptQueueSize(ACCEPT_QUEUE);
    connector.setIdleTimeout(limits.idleTimeout().toMillis());
    total.watch(connector);
    connector.addBean(perPeer, false);
    return connector;
  }

  /**
   * The apps' ingress' limits: half the total cap for its client connections (each may hold one
   * more to a replica), the per-address count shared with the HTTPS listeners, and the same header
   * deadline, idle timeout and header size as every listener.
   */
  public ConnectionLimits ingress() {
    return new ConnectionLimits(
        Math.max(1, limits.maxConnections() / 2),
        https,
        limits.requestHeaderTimeout(),
        limits.idleTimeout(),
        limits.maxRequestHeaderBytes());
  }

  /** Header size and the idle timeout of a request in progress, on {@code http}. */
  public HttpConfiguration configure(HttpConfiguration http) {
    http.setRequestHeaderSize(limits.maxRequestHeaderBytes());
    http.setIdleTimeout(limits.requestIdleTimeout().toMillis());
    return http;
  }

  /** {@code next} behind the bounds on concurrent requests, overall and per address. */
  public Handler around(Handler next) {
    return BusyHandler.around(next, limits);
  }

  /** Connections open now, on every listener. */
  public int connections() {
    return total.getNetworkConnectionCount();
  }

  /** Connections {@code peer} holds on the HTTPS listeners now. */
  public int connections(InetAddress peer) {
    return https.connections(peer);
  }

  /** Connections closed so far for sending no complete request headers in time. */
  public long closedForHeaderDeadline() {
    return headerDeadline.closed();
  }

  private static long maxDescriptors() {
    if (ManagementFactory.getOperatingSystemMXBean() instanceof UnixOperatingSystemMXBean unix) {
      return unix.getMaxFileDescriptorCount();
    }
    return -1;
  }
}
