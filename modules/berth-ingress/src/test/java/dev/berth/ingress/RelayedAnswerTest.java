package dev.berth.ingress;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.testing.LoopbackServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A replica's usual answer goes to the client as the replica wrote it; one the ingress must change
 * (the client closes, speaks HTTP/1.0, or the answer gets headers) is changed; and a HEAD's answer
 * ends at its head whoever gives it. Raw sockets on both sides, so the bytes are what is checked.
 */
class RelayedAnswerTest {

  /** Framed by its length, with a keep-alive and a value's blanks a decoder would normalise. */
  private static final String ANSWER =
      "HTTP/1.1 201 Created\r\nX-Spaced:   a  b  \r\nconnection: keep-alive\r\n"
          + "Content-Length: 2\r\n\r\nok";

  private static final String HOST = "raw.env.localhost";

  private IngressFixture ingress;
  private RawBackend replica;

  @BeforeEach
  void start() throws Exception {
    ingress = IngressFixture.http();
    replica = RawBackend.answering(ANSWER);
    ingress.routes.put(HOST, replica.route());
  }

  @AfterEach
  void stop() throws Exception {
    replica.close();
    ingress.close();
  }

  @Test
  void aReplicasUsualAnswerReachesTheClientAsTheReplicaWroteItOnAKeptConnection() throws Exception {
    try (Socket client = client()) {
      for (int i = 0; i < 3; i++) {
        send(client, "GET / HTTP/1.1\r\nHost: " + HOST + "\r\n\r\n");

        assertThat(readAnswer(client.getInputStream(), false)).isEqualTo(ANSWER);
      }
    }
  }

  @Test
  void aClientThatClosesGetsConnectionCloseAndNotTheReplicasKeepAlive() throws Exception {
    try (Socket client = client()) {
      send(client, "GET / HTTP/1.1\r\nHost: " + HOST + "\r\nConnection: close\r\n\r\n");

      String answer = readAnswer(client.getInputStream(), false);
      assertThat(answer.toLowerCase(Locale.ROOT))
          .contains("\r\nconnection: close\r\n")
          .doesNotContain("keep-alive");
      assertThat(answer).endsWith("\r\n\r\nok");
      assertThat(client.getInputStream().read()).isEqualTo(-1);
    }
  }

  @Test
  void anHttp10ClientGetsAnAnswerWithoutTheReplicasKeepAlive() throws Exception {
    try (Socket client = client()) {
      send(client, "GET / HTTP/1.0\r\nHost: " + HOST + "\r\n\r\n");

      String answer = readAnswer(client.getInputStream(), false);
      assertThat(answer.toLowerCase(Locale.ROOT)).doesNotContain("keep-alive");
      assertThat(answer).startsWith("HTTP/1.1 201").endsWith("\r\n\r\nok");
    }
  }

  /**
   * HTTP/1.0 keeps a connection only when the answer says so (RFC 9112 §9.3): a client that asks
   * for keep-alive (ApacheBench's {@code -k}) is told it, by the replica's answer and by the
   * ingress' own, and its next request goes on the same connection.
   */
  @Test
  void anHttp10ClientThatAsksForKeepAliveIsToldItAndKeepsItsConnection() throws Exception {
    try (Socket client = client()) {
      for (String host : new String[] {HOST, "nobody.env.localhost", HOST}) {
        send(client, "GET / HTTP/1.0\r\nHost: " + host + "\r\nConnection: Keep-Alive\r\n\r\n");

        String answer = readAnswer(client.getInputStream(), false);
        assertThat(answer.toLowerCase(Locale.ROOT))
            .contains("\r\nconnection: keep-alive\r\n")
            .doesNotContain("close");
        assertThat(answer).startsWith(host.equals(HOST) ? "HTTP/1.1 201" : "HTTP/1.1 404");
      }
    }
  }

  @Test
  void anAnswerThatGetsTheIngresssHeadersCarriesThem() throws Exception {
    ingress.routes.put(
        HOST, replica.route().withPolicy(IngressPolicyTest.cors(false, "https://portal.example")));
    try (Socket client = client()) {
      send(
          client, "GET / HTTP/1.1\r\nHost: " + HOST + "\r\nOrigin: https://portal.example\r\n\r\n");

      String answer = readAnswer(client.getInputStream(), false);
      assertThat(answer.toLowerCase(Locale.ROOT))
          .contains("\r\naccess-control-allow-origin: https://portal.example\r\n");
      assertThat(answer).endsWith("\r\n\r\nok");
    }
  }

  /**
   * The ingress' own 404 for a HEAD has no body, and keeps the connection (the request had none):
   * the next answer on it reads right.
   */
  @Test
  void anAnswerToAHeadEndsAtItsHeadWhoeverGivesIt() throws Exception {
    try (Socket client = client()) {
      send(client, "HEAD / HTTP/1.1\r\nHost: nobody.env.localhost\r\n\r\n");
      String notFound = readAnswer(client.getInputStream(), true);
      assertThat(notFound).startsWith("HTTP/1.1 404").contains("content-length: ");

      send(client, "GET / HTTP/1.1\r\nHost: " + HOST + "\r\n\r\n");
      assertThat(readAnswer(client.getInputStream(), false)).isEqualTo(ANSWER);
    }
  }

  /**
   * 8 MiB framed by its length, to a client that reads nothing for a while: the replica's
   * connection stops being read (back-pressure) and every byte still arrives, in order.
   */
  @Test
  void aLongAnswerIsRelayedWholeToAClientThatReadsLate() throws Exception {
    byte[] body = new byte[8 << 20];
    new java.util.Random(7).nextBytes(body);
    try (LoopbackServer large =
        LoopbackServer.http(
            (request, response, callback) -> {
              response.getHeaders().put("Content-Length", body.length);
              response.write(true, java.nio.ByteBuffer.wrap(body), callback);
              return true;
            })) {
      ingress.routes.put("large.env.localhost", IngressFixture.servedBy("large", large));
      try (Socket client = client()) {
        send(client, "GET / HTTP/1.1\r\nHost: large.env.localhost\r\n\r\n");
        Thread.sleep(500); // the socket buffers fill; the ingress stops reading the replica

        String answer = readAnswer(client.getInputStream(), false);
        byte[] received =
            answer.substring(answer.indexOf("\r\n\r\n") + 4).getBytes(StandardCharsets.ISO_8859_1);
        assertThat(received).isEqualTo(body);
      }
    }
  }

  private Socket client() throws IOException {
    Socket client = new Socket("127.0.0.1", ingress.port());
    client.setSoTimeout(10_000);
    return client;
  }

  private static void send(Socket client, String request) throws IOException {
    client.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
    client.getOutputStream().flush();
  }

  /** One answer: its head, then as many body bytes as its Content-Length says (none for a HEAD). */
  private static String readAnswer(InputStream in, boolean toHead) throws IOException {
    ByteArrayOutputStream read = new ByteArrayOutputStream();
    int matched = 0;
    byte[] end = {'\r', '\n', '\r', '\n'};
    while (matched < end.length) {
      int b = in.read();
      if (b < 0) {
        throw new IOException("the connection closed inside a head: " + read);
      }
      read.write(b);
      matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
    }
    String head = read.toString(StandardCharsets.ISO_8859_1);
    long length = 0;
    for (String line : head.split("\r\n")) {
      if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
        length = Long.parseLong(line.substring("content-length:".length()).trim());
      }
    }
    if (!toHead) {
      read.write(in.readNBytes((int) length));
    }
    return read.toString(StandardCharsets.ISO_8859_1);
  }
}
