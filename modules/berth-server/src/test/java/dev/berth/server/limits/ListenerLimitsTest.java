package dev.berth.server.limits;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The limits on a real Jetty server over loopback, plain HTTP: connections per source address on
 * the public and the managed-identity listeners, all connections together, the request header
 * deadline, and the bound on requests handled at once. Source addresses are other 127.0.0.x.
 */
@Timeout(60)
class ListenerLimitsTest {

  private final List<Socket> sockets = new ArrayList<>();
  private Server server;
  private ListenerLimits limits;
  private volatile CountDownLatch hold = new CountDownLatch(0);

  @AfterEach
  void stop() throws Exception {
    hold.countDown();
    for (Socket s : sockets) {
      s.close();
    }
    if (server != null) {
      server.stop();
    }
  }

  @Test
  void onePeerHoldsNoMoreThanItsCapAndAnotherPeerIsStillServed() throws Exception {
    ServerConnector http = start(Limits.DEFAULTS.withConnections(64, 8), false);

    List<Socket> flood = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      flood.add(connect("127.0.0.3", http.getLocalPort()));
    }

    assertThat(closedByServer(flood)).as("connections over the cap, closed at accept").hasSize(12);
    assertThat(limits.connections(InetAddress.getByName("127.0.0.3"))).isEqualTo(8);
    assertThat(get("127.0.0.4", http.getLocalPort())).startsWith("HTTP/1.1 200");
    for (Socket s : flood) {
      s.close();
    }
    // Closed connections give their slots back.
    awaitTrue(() -> limits.connections(InetAddress.getByName("127.0.0.3")) == 0);
    assertThat(get("127.0.0.3", http.getLocalPort())).startsWith("HTTP/1.1 200");
  }

  @Test
  void oneReplicaCannotExhaustTheIdentityEndpoint() throws Exception {
    ServerConnector identity = start(Limits.DEFAULTS, true);
    int cap = Limits.DEFAULTS.maxIdentityConnectionsPerReplica();

    List<Socket> replica = new ArrayList<>();
    for (int i = 0; i < cap + 24; i++) {
      replica.add(connect("127.0.0.5", identity.getLocalPort()));
    }

    assertThat(closedByServer(replica)).hasSize(24);
    // Another replica, from its own address, still gets its token.
    assertThat(get("127.0.0.6", identity.getLocalPort())).startsWith("HTTP/1.1 200");
  }

  @Test
  void aSlowlorisIsClosedAtTheHeaderDeadlineThoughItKeepsSending() throws Exception {
    Limits oneSecond =
        new Limits(
            64,
            8,
            4,
            Duration.ofSeconds(1),
            Duration.ofSeconds(30),
            Duration.ofSeconds(15),
            8192,
            16,
            4,
            Duration.ofSeconds(5),
            1 << 20,
            1 << 20);
    ServerConnector http = start(oneSecond, false);
    Socket first = connect("127.0.0.7", http.getLocalPort());
    Socket later = connect("127.0.0.7", http.getLocalPort());
    // The second connection's first request is complete; its second one then crawls.
    later.getOutputStream().write(request("127.0.0.7"));
    assertThat(readResponse(later.getInputStream())).startsWith("HTTP/1.1 200");

    long started = System.nanoTime();
    first
        .getOutputStream()
        .write("GET / HTTP/1.1\r\nHost: x\r\n".getBytes(StandardCharsets.US_ASCII));
    later
        .getOutputStream()
        .write("GET / HTTP/1.1\r\nHost: x\r\n".getBytes(StandardCharsets.US_ASCII));
    // A byte every 200 ms: an idle timeout never fires. The 6 s only bound a hang; which limit
    // closed the connections is what the counter below says, not the wall clock.
    boolean firstOpen = true;
    boolean laterOpen = true;
    while ((firstOpen || laterOpen) && System.nanoTime() - started < TimeUnit.SECONDS.toNanos(6)) {
      Thread.sleep(200);
      firstOpen = firstOpen && trickle(first);
      laterOpen = laterOpen && trickle(later);
    }
    assertThat(firstOpen).as("the first request's headers crawling").isFalse();
    assertThat(laterOpen).as("a later request's headers crawling").isFalse();
    assertThat(limits.closedForHeaderDeadline()).isEqualTo(2);
  }

  @Test
  void atTheTotalCapNewConnectionsWaitAndAreServedOnceOneCloses() throws Exception {
    ServerConnector http = start(Limits.DEFAULTS.withConnections(4, 4), false);
    List<Socket> held = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      held.add(connect("127.0.0." + (10 + i), http.getLocalPort()));
    }
    awaitTrue(() -> limits.connections() == 4);

    // Queued in the kernel's backlog: connected, but not served while Berth is at its cap.
    Socket waiting = connect("127.0.0.20", http.getLocalPort());
    waiting.getOutputStream().write(request("127.0.0.20"));
    waiting.setSoTimeout(500);
    assertThat(readsNothing(waiting.getInputStream())).isTrue();

    held.get(0).close();
    waiting.setSoTimeout(5000);
    assertThat(readResponse(waiting.getInputStream())).startsWith("HTTP/1.1 200");
    waiting.close();
    // And the listener keeps accepting after being stopped and started again.
    awaitTrue(() -> limits.connections() < 4);
    assertThat(get("127.0.0.21", http.getLocalPort())).startsWith("HTTP/1.1 200");
  }

  @Test
  void aRequestQueuedTooLongGets503WithRetryAfterAsJson() throws Exception {
    Limits one =
        new Limits(
            64,
            8,
            4,
            Duration.ofSeconds(10),
            Duration.ofSeconds(30),
            Duration.ofSeconds(15),
            8192,
            1,
            1,
            Duration.ofMillis(500),
            1 << 20,
            1 << 20);
    ServerConnector http = start(one, false);
    hold = new CountDownLatch(1);
    Socket busy = connect("127.0.0.8", http.getLocalPort());
    busy.getOutputStream().write(request("127.0.0.8", "/hold"));
    awaitTrue(() -> handling.get() == 1);

    String refused = get("127.0.0.9", http.getLocalPort());

    assertThat(refused)
        .startsWith("HTTP/1.1 503")
        .containsIgnoringCase("Retry-After: 1")
        .contains("application/json")
        .contains("\"code\":\"ServerBusy\"");
    hold.countDown();
    assertThat(readResponse(busy.getInputStream())).startsWith("HTTP/1.1 200");
  }

  @Test
  void followedLogStreamsDoNotCountAgainstTheRequestsAtOnce() throws Exception {
    Limits one =
        new Limits(
            64,
            8,
            4,
            Duration.ofSeconds(10),
            Duration.ofSeconds(30),
            Duration.ofSeconds(15),
            8192,
            1,
            1,
            Duration.ofMillis(500),
            1 << 20,
            1 << 20);
    ServerConnector http = start(one, false);
    hold = new CountDownLatch(1);
    Socket follower = connect("127.0.0.11", http.getLocalPort());
    follower
        .getOutputStream()
        .write(request("127.0.0.11", "/subscriptions/s/containerApps/a/logstream?follow=true"));
    awaitTrue(() -> handling.get() == 1);

    // The same address, and every other, still gets its answers.
    assertThat(get("127.0.0.11", http.getLocalPort())).startsWith("HTTP/1.1 200");
    assertThat(get("127.0.0.12", http.getLocalPort())).startsWith("HTTP/1.1 200");
    hold.countDown();
  }

  private final AtomicInteger handling = new AtomicInteger();

  /** A server with {@code limits}: a public listener, or the identity endpoint's. */
  private ServerConnector start(Limits wanted, boolean identity) throws Exception {
    limits = ListenerLimits.newServer(wanted);
    server = limits.server();
    HttpConnectionFactory http =
        new HttpConnectionFactory(limits.configure(new HttpConfiguration()));
    ServerConnector connector =
        identity ? limits.identityListener(http) : limits.publicListener(http);
    connector.setHost("127.0.0.1");
    server.addConnector(connector);
    server.setHandler(
        limits.around(
            new Handler.Abstract() {
              @Override
              public boolean handle(Request request, Response response, Callback callback)
                  throws Exception {
                String path = request.getHttpURI().getPath();
                if (path.startsWith("/hold") || path.endsWith("/logstream")) {
                  handling.incrementAndGet();
                  try {
                    hold.await(30, TimeUnit.SECONDS);
                  } finally {
                    handling.decrementAndGet();
                  }
                }
                response.setStatus(200);
                response.write(
                    true, ByteBuffer.wrap("ok".getBytes(StandardCharsets.US_ASCII)), callback);
                return true;
              }
            }));
    server.start();
    return connector;
  }

  private Socket connect(String source, int port) throws IOException {
    Socket s = new Socket();
    sockets.add(s);
    s.bind(new InetSocketAddress(source, 0));
    s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
    return s;
  }

  private String get(String source, int port) throws IOException {
    try (Socket s = connect(source, port)) {
      s.setSoTimeout(10_000);
      s.getOutputStream().write(request(source));
      return readResponse(s.getInputStream());
    }
  }

  private static byte[] request(String host) {
    return request(host, "/");
  }

  private static byte[] request(String host, String path) {
    return ("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\n\r\n")
        .getBytes(StandardCharsets.US_ASCII);
  }

  /** The head and body of one response: 2 bytes of body, as the test handler writes. */
  private static String readResponse(InputStream in) throws IOException {
    StringBuilder text = new StringBuilder();
    int c;
    while ((c = in.read()) >= 0) {
      text.append((char) c);
      int end = text.indexOf("\r\n\r\n");
      if (end >= 0) {
        String head = text.substring(0, end).toLowerCase(Locale.ROOT);
        int at = head.indexOf("content-length: ");
        int length =
            at < 0 ? 0 : Integer.parseInt(head.substring(at + 16).split("\r\n")[0].strip());
        if (text.length() - end - 4 >= length) {
          break;
        }
      }
    }
    return text.toString();
  }

  /** The sockets the server has closed (their reads end), once 2 s have passed for the last one. */
  private static List<Socket> closedByServer(List<Socket> sockets) throws Exception {
    Thread.sleep(2000);
    List<Socket> closed = new ArrayList<>();
    for (Socket s : sockets) {
      s.setSoTimeout(20);
      try {
        if (s.getInputStream().read() < 0) {
          closed.add(s);
        }
      } catch (SocketTimeoutException e) {
        // still open
      } catch (IOException e) {
        closed.add(s); // reset
      }
    }
    return closed;
  }

  /** True when nothing arrives before the socket's read timeout. */
  private static boolean readsNothing(InputStream in) throws IOException {
    try {
      in.read();
      return false;
    } catch (SocketTimeoutException e) {
      return true;
    }
  }

  /** Sends one more header byte; false once the server has closed the connection. */
  private static boolean trickle(Socket s) {
    try {
      s.getOutputStream().write('X');
      s.getOutputStream().flush();
      s.setSoTimeout(1);
      return s.getInputStream().read() != -1;
    } catch (SocketTimeoutException e) {
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private interface Check {
    boolean ok() throws Exception;
  }

  private static void awaitTrue(Check check) throws Exception {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!check.ok()) {
      if (System.nanoTime() > end) {
        throw new AssertionError("condition not met within 10 s");
      }
      Thread.sleep(20);
    }
  }
}
