package dev.berth.ingress;

import dev.berth.ingress.internal.IngressChannels;
import java.io.IOException;
import java.util.Optional;

/**
 * The apps' ingress: listeners (HTTP, or HTTPS presenting what an {@link IngressTls} chooses for
 * the name each client asks for) that find each request's app by its {@code Host} in a {@link
 * RouteTable}, and proxy it to a ready replica over pooled keep-alive connections — or answer for
 * the app (404, 403, a redirect to HTTPS, 503 with the reason), or hold it while the app's revision
 * scales up from zero. Runs on Netty's event loops (native epoll where the machine has it), one per
 * core: docs/ingress.md says why and what it does. Thread-safe; close it to stop every listener.
 */
public final class IngressServer implements AutoCloseable {

  /** A bound listener. Closing it stops accepting; open connections end on their own. */
  public interface Listener extends AutoCloseable {
    int port();

    @Override
    void close();
  }

  private final IngressChannels channels;

  /** An ingress within {@code limits}, its event loops running; it routes once started. */
  public IngressServer(ConnectionLimits limits) {
    this.channels = new IngressChannels(limits);
  }

  /**
   * Starts routing over {@code routes}, connected as {@code wiring} says: from now on every
   * listener accepts connections.
   */
  public void start(RouteTable routes, IngressSettings settings, IngressWiring wiring) {
    channels.start(routes, settings, wiring);
  }

  /**
   * Binds {@code host:port} (0: any free port); it accepts connections once the ingress has started
   * (at once, if it has).
   *
   * @param tls the certificates for HTTPS, by name; empty for plain HTTP
   * @throws IOException when the address cannot be bound
   */
  public Listener listen(String host, int port, Optional<IngressTls> tls) throws IOException {
    return channels.listen(host, port, tls);
  }

  /** Stops every listener and connection, and the event loops. */
  @Override
  public void close() {
    channels.close();
  }
}
