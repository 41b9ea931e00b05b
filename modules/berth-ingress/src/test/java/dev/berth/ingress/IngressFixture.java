package dev.berth.ingress;

import dev.berth.testing.LoopbackServer;
import dev.berth.testing.TestCa;
import java.net.URI;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.client.transport.HttpClientTransportOverHTTP;
import org.eclipse.jetty.http2.server.HTTP2CServerConnectionFactory;
import org.eclipse.jetty.io.ClientConnector;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/**
 * The ingress on a loopback listener (HTTP or HTTPS), a route table to fill, and a client that
 * names any host: what each ingress test starts. Closing it stops all of them. Not thread-safe.
 */
final class IngressFixture implements AutoCloseable {

  final InMemoryRouteTable routes = new InMemoryRouteTable();
  final RequestLoad load = new RequestLoad();

  /** The revisions the ingress asked to scale up, in order. */
  final List<String> activations = new CopyOnWriteArrayList<>();

  private final IngressServer server;
  private final IngressServer.Listener listener;
  private final boolean tls;
  private final HttpClient client;

  IngressFixture(IngressSettings settings, boolean tls) throws Exception {
    this(settings, tls, IngressWiring.none());
  }

  /** With {@code fromEnvironment} saying which requests come from the environment's replicas. */
  IngressFixture(
      IngressSettings settings, boolean tls, java.util.function.Predicate<Caller> fromEnvironment)
      throws Exception {
    this(settings, tls, IngressWiring.none().withEnvironment(fromEnvironment));
  }

  /** With {@code observer} told of each request. */
  IngressFixture(IngressSettings settings, boolean tls, IngressObserver observer) throws Exception {
    this(settings, tls, IngressWiring.none().withObserver(observer));
  }

  private IngressFixture(IngressSettings settings, boolean tls, IngressWiring wiring)
      throws Exception {
    server = new IngressServer(ConnectionLimits.lenient());
    this.tls = tls;
    listener =
        server.listen(
            "127.0.0.1", 0, tls ? Optional.of(IngressTls.jdk(serverContext())) : Optional.empty());
    server.start(routes, settings, wiring.withScaling(load, activations::add));
    SslContextFactory.Client ssl = new SslContextFactory.Client();
    ssl.setSslContext(TestCa.get().clientContext());
    ClientConnector connector = new ClientConnector();
    connector.setSslContextFactory(ssl);
    client = new HttpClient(new HttpClientTransportOverHTTP(connector));
    client.setFollowRedirects(false);
    // Tests hold hundreds of requests at once at the activator.
    client.setMaxConnectionsPerDestination(512);
    // Tests send the cookies they mean to send (sticky sessions), nothing kept behind their back.
    client.setHttpCookieStore(new org.eclipse.jetty.http.HttpCookieStore.Empty());
    client.start();
  }

  static IngressFixture http() throws Exception {
    return new IngressFixture(IngressSettings.defaults(), false);
  }

  /** A request to the ingress for {@code host}, path {@code path}, with a 10 s deadline. */
  Request request(String host, String path) {
    return client
        .newRequest(uri().resolve(path))
        .headers(h -> h.put("Host", host))
        .timeout(10, TimeUnit.SECONDS);
  }

  ContentResponse get(String host, String path) throws Exception {
    return request(host, path).send();
  }

  int port() {
    return listener.port();
  }

  /** {@code http://127.0.0.1:<port>} (or {@code https://…}). */
  URI uri() {
    return URI.create((tls ? "https" : "http") + "://127.0.0.1:" + listener.port());
  }

  HttpClient client() {
    return client;
  }

  @Override
  public void close() {
    try {
      client.stop();
      listener.close();
      server.close();
    } catch (Exception e) {
      throw new IllegalStateException("cannot stop the ingress fixture", e);
    }
  }

  /**
   * Adds to {@code replica} (a Jetty server, not started) its one connector on 127.0.0.1: HTTP/1.1
   * and h2c on the same port, as a replica the {@code transport} tests call either way.
   */
  static ServerConnector http11AndH2c(Server replica) {
    HttpConfiguration http = new HttpConfiguration();
    ServerConnector connector =
        new ServerConnector(
            replica, new HttpConnectionFactory(http), new HTTP2CServerConnectionFactory(http));
    connector.setHost("127.0.0.1");
    replica.addConnector(connector);
    return connector;
  }

  /** A server TLS context with the test CA's certificate for localhost and 127.0.0.1. */
  static SSLContext serverContext() throws Exception {
    KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    keys.init(TestCa.get().serverKeyStore(), TestCa.KEY_STORE_PASSWORD.toCharArray());
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(keys.getKeyManagers(), null, null);
    return context;
  }

  /** An app served by {@code servers}, each on 127.0.0.1 at its port. */
  static AppRoute servedBy(String app, LoopbackServer... servers) {
    return AppRoute.serving(
        app,
        app + "--1",
        true,
        java.util.Arrays.stream(servers).map(s -> new Backend("127.0.0.1", s.port())).toList());
  }
}
