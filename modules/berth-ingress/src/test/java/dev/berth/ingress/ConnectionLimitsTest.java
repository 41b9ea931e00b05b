package dev.berth.ingress;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.testing.LoopbackServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.util.Callback;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The ingress' own bounds on its client connections: the total cap and the cap per address close a
 * connection as it is accepted, a head that takes too long or a connection idle too long between
 * requests is closed, and a head too large is answered 431 — each over raw sockets, as an attacker
 * would hold them.
 */
class ConnectionLimitsTest {

  private static final String HOST = "api.env.localhost";

  private final List<AutoCloseable> open = new ArrayList<>();

  @AfterEach
  void close() throws Exception {
    for (AutoCloseable c : open.reversed()) {
      c.close();
    }
  }

  private IngressServer.Listener ingress(ConnectionLimits limits) throws Exception {
    return ingress(limits, false);
  }

  private IngressServer.Listener ingress(ConnectionLimits limits, boolean tls) throws Exception {
    LoopbackServer app =
        LoopbackServer.http(
            (request, response, callback) -> {
              response.write(true, null, Callback.from(callback::succeeded, callback::failed));
              return true;
            });
    open.add(app);
    InMemoryRouteTable routes = new InMemoryRouteTable();
    routes.put(HOST, IngressFixture.servedBy("api", app));
    IngressServer server = new IngressServer(limits);
    open.add(server);
    IngressServer.Listener listener =
        server.listen(
            "127.0.0.1",
            0,
            tls ? Optional.of(IngressTls.jdk(IngressFixture.serverContext())) : Optional.empty());
    server.start(routes, IngressSettings.defaults(), IngressWiring.none());
    return listener;
  }

  /** A cap of {@code cap} per address (one address here), counting in {@code held}. */
  private static PeerGate capped(int cap, AtomicInteger held) {
    return new PeerGate() {
      @Override
      public boolean admit(InetAddress peer) {
        if (held.incrementAndGet() > cap) {
          held.decrementAndGet();
          return false;
        }
        return true;
      }

      @Override
      public void left(InetAddress peer) {
        held.decrementAndGet();
      }
    };
  }

  private static ConnectionLimits limits(
      int total, PeerGate perPeer, Duration head, Duration idle) {
    return new ConnectionLimits(total, perPeer, head, idle, 2048);
  }

  private Socket connect(IngressServer.Listener listener) throws IOException {
    Socket socket = new Socket("127.0.0.1", listener.port());
    socket.setSoTimeout(5_000);
    open.add(socket);
    return socket;
  }

  private static String exchange(Socket socket, String request) throws IOException {
    OutputStream out = socket.getOutputStream();
    out.write(request.getBytes(StandardCharsets.US_ASCII));
    out.flush();
    byte[] buffer = new byte[4096];
    int n = socket.getInputStream().read(buffer);
    return n < 0 ? "" : new String(buffer, 0, n, StandardCharsets.US_ASCII);
  }

  private static String get() {
    return "GET / HTTP/1.1\r\nHost: " + HOST + "\r\n\r\n";
  }

  /**
   * Whether the ingress closed {@code socket} within the read timeout: a read sees its end (or a
   * reset); a connection still open when the timeout passes was not closed.
   */
  private static boolean closedByIngress(Socket socket) {
    try {
      InputStream in = socket.getInputStream();
      return in.read() < 0;
    } catch (SocketTimeoutException e) {
      return false;
    } catch (IOException e) {
      return true;
    }
  }

  @Test
  void connectionsOverTheTotalCapAreClosedAsTheyAreAccepted() throws Exception {
    IngressServer.Listener listener =
        ingress(limits(2, PeerGate.OPEN, Duration.ofSeconds(10), Duration.ofSeconds(30)));
    Socket first = connect(listener);
    Socket second = connect(listener);
    assertThat(exchange(first, get())).startsWith("HTTP/1.1 200");
    assertThat(exchange(second, get())).startsWith("HTTP/1.1 200");

    Socket third = connect(listener);

    assertThat(closedByIngress(third)).isTrue();
    first.close();
    // The cap counts open connections: one closed makes room.
    Thread.sleep(200);
    assertThat(exchange(connect(listener), get())).startsWith("HTTP/1.1 200");
  }

  @Test
  void theCapPerAddressIsAskedForEachConnectionAndToldOfItsClose() throws Exception {
    AtomicInteger held = new AtomicInteger();
    PeerGate oneEach = capped(1, held);
    IngressServer.Listener listener =
        ingress(limits(100, oneEach, Duration.ofSeconds(10), Duration.ofSeconds(30)));
    Socket first = connect(listener);
    assertThat(exchange(first, get())).startsWith("HTTP/1.1 200");

    assertThat(closedByIngress(connect(listener))).isTrue();
    first.close();
    Thread.sleep(200);
    assertThat(held).hasValue(0);
  }

  @Test
  void http2StreamsCountAgainstTheCapPerAddressAsConnectionsDo() throws Exception {
    AtomicInteger held = new AtomicInteger();
    PeerGate three = capped(3, held);
    java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
    LoopbackServer slow =
        LoopbackServer.http(
            (request, response, callback) -> {
              release.await(10, java.util.concurrent.TimeUnit.SECONDS);
              response.write(true, null, callback);
              return true;
            });
    open.add(slow);
    InMemoryRouteTable routes = new InMemoryRouteTable();
    routes.put(HOST, IngressFixture.servedBy("api", slow));
    IngressServer server =
        new IngressServer(limits(100, three, Duration.ofSeconds(10), Duration.ofSeconds(30)));
    open.add(server);
    IngressServer.Listener listener =
        server.listen("127.0.0.1", 0, Optional.of(IngressTls.jdk(IngressFixture.serverContext())));
    server.start(routes, IngressSettings.defaults(), IngressWiring.none());

    try (Http2TestClient client = new Http2TestClient(listener.port())) {
      // The connection holds one place, two requests at the slow app the other two.
      var first = client.send(Http2TestClient.headers("GET", "/1", HOST), null, null);
      var second = client.send(Http2TestClient.headers("GET", "/2", HOST), null, null);
      Thread.sleep(300);
      Http2TestClient.Answer third =
          client.exchange(Http2TestClient.headers("GET", "/3", HOST), null, null);

      assertThat(third.reset()).isNotNull();
      assertThat(third.reset().errorCode())
          .isEqualTo(io.netty.handler.codec.http2.Http2Error.REFUSED_STREAM.code());
      release.countDown();
      assertThat(first.get(10, java.util.concurrent.TimeUnit.SECONDS).status()).isEqualTo("200");
      assertThat(second.get(10, java.util.concurrent.TimeUnit.SECONDS).status()).isEqualTo("200");
      // Their places are given back as they end: the next stream is served.
      Thread.sleep(200);
      assertThat(client.exchange(Http2TestClient.headers("GET", "/4", HOST), null, null).status())
          .isEqualTo("200");
    }
  }

  @Test
  void aHeadNotCompleteWithinTheHeaderDeadlineIsClosed() throws Exception {
    IngressServer.Listener listener =
        ingress(limits(100, PeerGate.OPEN, Duration.ofMillis(300), Duration.ofSeconds(30)));
    Socket slow = connect(listener);
    slow.getOutputStream().write("GET / HTTP/1.1\r\nHost: ".getBytes(StandardCharsets.US_ASCII));
    long start = System.nanoTime();

    assertThat(closedByIngress(slow)).isTrue();
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
  }

  @Test
  void aClientThatStopsWithinTheHttp2PrefaceIsClosedAtTheHeadDeadline() throws Exception {
    IngressServer.Listener listener =
        ingress(limits(100, PeerGate.OPEN, Duration.ofMillis(300), Duration.ofSeconds(30)));
    Socket slow = connect(listener);
    slow.getOutputStream().write("PRI * HTTP/2.0\r\n".getBytes(StandardCharsets.US_ASCII));
    long start = System.nanoTime();

    assertThat(closedByIngress(slow)).isTrue();
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
  }

  @Test
  void anHttp2ClientWithPriorKnowledgeThatOpensNoStreamIsClosedAtTheHeadDeadline()
      throws Exception {
    IngressServer.Listener listener =
        ingress(limits(100, PeerGate.OPEN, Duration.ofMillis(300), Duration.ofSeconds(30)));
    Socket idle = connect(listener);
    // The whole preface and an empty SETTINGS frame, then nothing.
    idle.getOutputStream()
        .write("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
    idle.getOutputStream().write(new byte[] {0, 0, 0, 4, 0, 0, 0, 0, 0});
    long start = System.nanoTime();

    // The server's SETTINGS, its ACK, then a GOAWAY; then the end.
    java.io.InputStream in = idle.getInputStream();
    long until = System.nanoTime() + Duration.ofSeconds(3).toNanos();
    while (in.read() >= 0 && System.nanoTime() < until) {
      // read until the ingress closes
    }
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
  }

  @Test
  void aConnectionThatNeverStartsItsTlsHandshakeIsClosedAtTheHeadDeadline() throws Exception {
    IngressServer.Listener listener =
        ingress(limits(100, PeerGate.OPEN, Duration.ofMillis(300), Duration.ofSeconds(30)), true);
    Socket silent = connect(listener);
    long start = System.nanoTime();

    assertThat(closedByIngress(silent)).isTrue();
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
  }

  @Test
  void aTlsHandshakeAndTheFirstHeadShareOneDeadlineFromTheAccept() throws Exception {
    IngressServer.Listener listener =
        ingress(limits(100, PeerGate.OPEN, Duration.ofMillis(1000), Duration.ofSeconds(30)), true);
    Socket tcp = connect(listener);
    long start = System.nanoTime();
    Thread.sleep(700); // most of the deadline spent before the hello
    javax.net.ssl.SSLSocket tls =
        (javax.net.ssl.SSLSocket)
            dev.berth.testing.TestCa.get()
                .clientContext()
                .getSocketFactory()
                .createSocket(tcp, "localhost", listener.port(), true);
    tls.setSoTimeout(5_000);
    open.add(tls);
    tls.startHandshake();

    assertThat(closedByIngress(tls)).isTrue();
    // Closed at the accept's deadline (1 s), not a whole deadline after the handshake (1.7 s).
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(1500));
  }

  @Test
  void aKeptConnectionIdleBetweenRequestsIsClosedAfterTheIdleTimeout() throws Exception {
    IngressServer.Listener listener =
        ingress(limits(100, PeerGate.OPEN, Duration.ofSeconds(10), Duration.ofMillis(300)));
    Socket kept = connect(listener);
    assertThat(exchange(kept, get())).startsWith("HTTP/1.1 200");
    long start = System.nanoTime();

    assertThat(closedByIngress(kept)).isTrue();
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
  }

  @Test
  void headersLargerThanTheLimitAre431AndTheConnectionCloses() throws Exception {
    IngressServer.Listener listener =
        ingress(limits(100, PeerGate.OPEN, Duration.ofSeconds(10), Duration.ofSeconds(30)));
    Socket big = connect(listener);

    String answer =
        exchange(
            big, "GET / HTTP/1.1\r\nHost: " + HOST + "\r\nX-Big: " + "x".repeat(4096) + "\r\n\r\n");

    assertThat(answer).startsWith("HTTP/1.1 431").contains("connection: close");
  }
}
