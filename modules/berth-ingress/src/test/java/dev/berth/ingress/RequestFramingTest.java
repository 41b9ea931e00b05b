package dev.berth.ingress;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The ingress and the replica read each request the same way (request smuggling, RFC 9112 §6.1 and
 * §3.2): a request whose body's end or whose host is ambiguous is refused with 400 and the
 * connection closed, before any of it reaches the replica. Raw sockets on both sides, so the bytes
 * the replica gets are what is checked.
 */
class RequestFramingTest {

  private static final String HOST = "Host: app.env.localhost\r\n";

  private IngressFixture ingress;
  private RecordingReplica replica;

  @BeforeEach
  void start() throws Exception {
    ingress = IngressFixture.http();
    replica = new RecordingReplica();
    ingress.routes.put(
        "app.env.localhost",
        AppRoute.serving("app", "app--1", true, List.of(new Backend("127.0.0.1", replica.port()))));
  }

  @AfterEach
  void stop() throws Exception {
    replica.close();
    ingress.close();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        // A coding the ingress does not frame by: its body would be read as the next request.
        "POST / HTTP/1.1\r\n" + HOST + "Transfer-Encoding: xchunked\r\n\r\n0\r\n\r\n",
        "POST / HTTP/1.1\r\n"
            + HOST
            + "Transfer-Encoding: identity\r\nContent-Length: 5\r\n\r\nhello",
        "POST / HTTP/1.1\r\n" + HOST + "Transfer-Encoding: gzip\r\n\r\nhello",
        // Two hosts: the ingress would route by one and the app might read the other.
        "GET / HTTP/1.1\r\n" + HOST + "Host: other.env.localhost\r\n\r\n",
        // HTTP/1.1 without a host.
        "GET / HTTP/1.1\r\n\r\n",
        // Netty's own refusals, kept: a length beside chunked, two lengths.
        "POST / HTTP/1.1\r\n"
            + HOST
            + "Content-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
        "POST / HTTP/1.1\r\n" + HOST + "Content-Length: 5\r\nContent-Length: 6\r\n\r\nhello!"
      })
  void anAmbiguousRequestIs400AndClosedAndNothingReachesTheReplica(String request)
      throws Exception {
    String answer = exchange(request);

    assertThat(answer).startsWith("HTTP/1.1 400 ").contains("\r\nconnection: close\r\n");
    assertThat(replica.received(300)).as("what the replica got").isNull();
  }

  @Test
  void chunkedLastIsForwardedAsChunked() throws Exception {
    String answer =
        exchange(
            "POST / HTTP/1.1\r\n"
                + HOST
                + "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n5\r\nhello\r\n0\r\n\r\n");

    assertThat(answer).startsWith("HTTP/1.1 200 ");
    String forwarded = replica.received(5_000);
    assertThat(forwarded)
        .containsIgnoringCase("\r\ntransfer-encoding: chunked\r\n")
        .endsWith("5\r\nhello\r\n0\r\n\r\n");
  }

  /** The replica gets the request as the ingress routed it: origin form, the target's host. */
  @Test
  void anAbsoluteFormTargetReachesTheReplicaInOriginFormWithItsHost() throws Exception {
    String answer =
        exchange(
            "GET http://app.env.localhost/x?y=%2F HTTP/1.1\r\nHost: other.env.localhost\r\n"
                + "Connection: close\r\n\r\n");

    assertThat(answer).startsWith("HTTP/1.1 200 ");
    String forwarded = replica.received(5_000);
    assertThat(forwarded).startsWith("GET /x?y=%2F HTTP/1.1\r\n");
    assertThat(forwarded.toLowerCase(java.util.Locale.ROOT))
        .contains("\r\nhost: app.env.localhost\r\n")
        .doesNotContain("other.env.localhost");
  }

  /** The ingress opens no tunnels: a replica that proxies must not become one for anybody. */
  @Test
  void connectIs405AndClosedAndNothingReachesTheReplica() throws Exception {
    String answer =
        exchange("CONNECT app.env.localhost:443 HTTP/1.1\r\nHost: app.env.localhost:443\r\n\r\n");

    assertThat(answer)
        .startsWith("HTTP/1.1 405 ")
        .contains("\r\nconnection: close\r\n")
        .contains("CONNECT");
    assertThat(replica.received(300)).as("what the replica got").isNull();
  }

  private String exchange(String request) throws IOException {
    try (Socket client = new Socket("127.0.0.1", ingress.port())) {
      client.setSoTimeout(5_000);
      client.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
      client.getOutputStream().flush();
      return new String(client.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
    }
  }

  /**
   * A replica that records what each connection sent, answers 200 once its head is in, and closes.
   */
  private static final class RecordingReplica implements AutoCloseable {
    private final ServerSocket socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    private final LinkedBlockingQueue<String> received = new LinkedBlockingQueue<>();

    RecordingReplica() throws IOException {
      Thread.ofVirtual().start(this::serve);
    }

    int port() {
      return socket.getLocalPort();
    }

    /** What one connection sent, or null when none came within {@code millis}. */
    String received(long millis) throws InterruptedException {
      return received.poll(millis, TimeUnit.MILLISECONDS);
    }

    private void serve() {
      while (!socket.isClosed()) {
        try (Socket connection = socket.accept()) {
          connection.setSoTimeout(300);
          ByteArrayOutputStream got = new ByteArrayOutputStream();
          InputStream in = connection.getInputStream();
          byte[] buffer = new byte[8192];
          boolean answered = false;
          try {
            for (int n; (n = in.read(buffer)) > 0; ) {
              got.write(buffer, 0, n);
              if (!answered && got.toString(StandardCharsets.ISO_8859_1).contains("\r\n\r\n")) {
                connection
                    .getOutputStream()
                    .write(
                        "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"
                            .getBytes(StandardCharsets.US_ASCII));
                answered = true;
              }
            }
          } catch (SocketTimeoutException quiet) {
            // all it sent is in
          }
          received.add(got.toString(StandardCharsets.ISO_8859_1));
        } catch (IOException closed) {
          // the socket closed under accept()
        }
      }
    }

    @Override
    public void close() throws IOException {
      socket.close();
    }
  }
}
