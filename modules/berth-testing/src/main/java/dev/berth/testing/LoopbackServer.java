package dev.berth.testing;

import java.net.URI;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.VirtualThreadPool;

/**
 * A Jetty server on {@code 127.0.0.1} and a free port, serving one handler: over HTTPS with the
 * {@link TestCa} server certificate (clients trust {@link TestCa#caPem()}), or over plain HTTP.
 * What a test stands up in place of a real service (a registry, an Entra or ARM endpoint) or to put
 * a real handler on the wire. Closing it stops the server. Thread-safe.
 *
 * <pre>{@code
 * try (LoopbackServer server = LoopbackServer.https((request, response, callback) -> {
 *       response.write(true, ByteBuffer.wrap(body), callback);
 *       return true;
 *     })) {
 *   client(TestCa.get().clientContext()).get(server.uri().resolve("/v2/"));
 * }
 * }</pre>
 */
public final class LoopbackServer implements AutoCloseable {

  private final Server server = new Server(virtualThreads());
  private final ServerConnector connector;
  private final boolean tls;

  private LoopbackServer(Request.Handler handler, boolean tls) {
    this.tls = tls;
    this.connector = tls ? httpsConnector(server) : new ServerConnector(server);
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    server.addConnector(connector);
    // A full Handler (one with a life cycle, such as a proxy with an HttpClient to start) is the
    // server's own, started and stopped with it; a bare Request.Handler is wrapped.
    server.setHandler(
        handler instanceof Handler full
            ? full
            : new Handler.Abstract() {
              @Override
              public boolean handle(Request request, Response response, Callback callback)
                  throws Exception {
                return handler.handle(request, response, callback);
              }
            });
    try {
      server.start();
    } catch (Exception e) {
      throw new IllegalStateException("cannot start a loopback server", e);
    }
  }

  /** Serves {@code handler} over HTTPS with the {@link TestCa} server certificate. */
  public static LoopbackServer https(Request.Handler handler) {
    return new LoopbackServer(handler, true);
  }

  /** Serves {@code handler} over plain HTTP. */
  public static LoopbackServer http(Request.Handler handler) {
    return new LoopbackServer(handler, false);
  }

  public int port() {
    return connector.getLocalPort();
  }

  /** {@code https://127.0.0.1:<port>} (or {@code http://…}), without a trailing slash. */
  public URI uri() {
    return URI.create((tls ? "https" : "http") + "://127.0.0.1:" + port());
  }

  /** {@code 127.0.0.1:<port>}: the authority, as an image reference or a login server names it. */
  public String authority() {
    return "127.0.0.1:" + port();
  }

  @Override
  public void close() {
    try {
      server.stop();
    } catch (Exception e) {
      throw new IllegalStateException("cannot stop the loopback server on " + uri(), e);
    }
  }

  /**
   * Handlers run on virtual threads, as Berth's own listeners do: a handler that blocks (the
   * ingress's activator holding a request) holds no platform thread.
   */
  private static VirtualThreadPool virtualThreads() {
    VirtualThreadPool threads = new VirtualThreadPool(2_048);
    threads.setName("loopback");
    return threads;
  }

  private static ServerConnector httpsConnector(Server server) {
    SslContextFactory.Server ssl = new SslContextFactory.Server();
    ssl.setKeyStore(TestCa.get().serverKeyStore());
    ssl.setKeyStorePassword(TestCa.KEY_STORE_PASSWORD);
    HttpConfiguration https = new HttpConfiguration();
    // Clients that connect to 127.0.0.1 send no SNI; those that name localhost must not be refused.
    https.addCustomizer(new SecureRequestCustomizer(false));
    return new ServerConnector(
        server, new SslConnectionFactory(ssl, "http/1.1"), new HttpConnectionFactory(https));
  }
}
