package dev.berth.ingress;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code transport}: {@code http2} reaches the replica over h2c, {@code auto} and {@code http} over
 * HTTP/1.1; the replica (Jetty, speaking both on one port) says which it got.
 */
class TransportTest {

  private IngressFixture ingress;
  private Server replica;
  private ServerConnector connector;

  @BeforeEach
  void start() throws Exception {
    ingress = IngressFixture.http();
    replica = new Server();
    connector = IngressFixture.http11AndH2c(replica);
    replica.setHandler(
        new Handler.Abstract() {
          @Override
          public boolean handle(Request request, Response response, Callback callback)
              throws Exception {
            String seen =
                request.getConnectionMetaData().getHttpVersion().asString()
                    + " "
                    + request.getHttpURI().getHost()
                    + " "
                    + org.eclipse.jetty.io.Content.Source.asString(request).length();
            response.write(
                true, ByteBuffer.wrap(seen.getBytes(StandardCharsets.US_ASCII)), callback);
            return true;
          }
        });
    replica.start();
  }

  @AfterEach
  void stop() throws Exception {
    replica.stop();
    ingress.close();
  }

  private void route(boolean http2) {
    ingress.routes.put(
        "api.env.localhost",
        AppRoute.serving("api", true, List.of(new Backend("127.0.0.1", connector.getLocalPort())))
            .withPolicy(
                new IngressPolicy(false, List.of(), false, false, Optional.empty(), http2)));
  }

  private String seen(boolean http2, String body) throws Exception {
    route(http2);
    return ingress
        .request("api.env.localhost", "/")
        .method("POST")
        .body(new org.eclipse.jetty.client.StringRequestContent(body))
        .send()
        .getContentAsString();
  }

  /**
   * A client that sends {@code Expect: 100-continue} and waits: the replica's interim {@code 100}
   * reaches it, then, once it has sent its body, the real answer. Over h2c the replica's interim
   * answer is a HEADERS frame of its own, split into a head and an end on the way back.
   */
  @ParameterizedTest(name = "http2 {0}")
  @ValueSource(booleans = {false, true})
  void expectContinueGetsTheReplicasInterimAnswerThenTheRealOne(boolean http2) throws Exception {
    route(http2);
    try (Socket socket = new Socket("127.0.0.1", ingress.port())) {
      socket.setSoTimeout(5_000);
      OutputStream out = socket.getOutputStream();
      out.write(
          ("POST / HTTP/1.1\r\nHost: api.env.localhost\r\nContent-Length: 5\r\n"
                  + "Expect: 100-continue\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = socket.getInputStream();
      assertThat(readHead(in)).startsWith("HTTP/1.1 100 Continue\r\n");

      out.write("hello".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      String head = readHead(in);
      assertThat(head).startsWith("HTTP/1.1 200 OK\r\n");
      String body = http2 ? "HTTP/2.0 api.env.localhost 5" : "HTTP/1.1 api.env.localhost 5";
      assertThat(new String(in.readNBytes(body.length()), StandardCharsets.US_ASCII))
          .as(head)
          .isEqualTo(body);
    }
  }

  /** Reads up to and including the blank line after a head. */
  private static String readHead(InputStream in) throws Exception {
    StringBuilder head = new StringBuilder();
    while (!head.toString().endsWith("\r\n\r\n")) {
      int b = in.read();
      if (b < 0) {
        throw new java.io.EOFException("the connection closed after: " + head);
      }
      head.append((char) b);
    }
    return head.toString();
  }

  @Test
  void http2ReachesTheReplicaOverH2cWithTheClientsHostAndBody() throws Exception {
    assertThat(seen(true, "x".repeat(100_000))).isEqualTo("HTTP/2.0 api.env.localhost 100000");
    // Again, on the same HTTP/2 connection: a second stream.
    assertThat(seen(true, "")).isEqualTo("HTTP/2.0 api.env.localhost 0");
  }

  @Test
  void autoAndHttpReachTheReplicaOverHttp11() throws Exception {
    assertThat(seen(false, "abc")).isEqualTo("HTTP/1.1 api.env.localhost 3");
  }
}
