package dev.berth.http;

import static dev.berth.testing.Fuzz.oneOf;
import static dev.berth.testing.Fuzz.qt;
import static dev.berth.testing.Fuzz.unchecked;
import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.generators.SourceDSL.arbitrary;
import static org.quicktheories.generators.SourceDSL.integers;

import dev.berth.testing.Fuzz;
import dev.berth.testing.LoopbackServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

/**
 * {@link HttpExchange} behind a real Jetty on loopback, reading every query and body it is sent the
 * way the APIs do: random raw query strings and bodies cut short or badly chunked end as a {@link
 * MalformedRequestException} naming the part (answered 400 here), never as another exception
 * (answered 500 here), and each within a timeout.
 */
class HttpExchangeInputTest {

  private static LoopbackServer server;

  @BeforeAll
  static void start() {
    server =
        LoopbackServer.http(
            (request, response, callback) -> {
              HttpExchange ex = new HttpExchange(request, response, callback);
              try {
                ex.segments();
                ex.queryParams();
                byte[] body = ex.body(1 << 20);
                ex.sendJson(200, Map.of("bytes", body.length));
              } catch (MalformedRequestException e) {
                ex.sendJson(400, Map.of("part", e.part().name(), "message", e.getMessage()));
              } catch (Exception e) {
                ex.sendJson(500, Map.of("error", e.toString()));
              }
              return true;
            });
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void anyQueryIs200Or400NamingTheQuery() {
    qt(500)
        .forAll(Fuzz.strings("%=&+aZ09zG-._~", 0, 30))
        .checkAssert(
            unchecked(
                query -> {
                  String reply =
                      send(
                          "GET /x?" + query + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
                          false);
                  assertThat(reply).doesNotStartWith("HTTP/1.1 5");
                  if (reply.startsWith("HTTP/1.1 400") && reply.contains("\"part\"")) {
                    assertThat(reply).contains("\"part\":\"QUERY\"");
                  }
                }));
  }

  @Test
  void aBodyCutShortIs400NamingTheBody() {
    qt(200)
        .forAll(integers().between(1, 100_000))
        .checkAssert(
            unchecked(
                missing -> {
                  String body = "x".repeat(50);
                  String reply =
                      send(
                          "POST /x HTTP/1.1\r\nHost: x\r\nContent-Length: "
                              + (body.length() + missing)
                              + "\r\n\r\n"
                              + body,
                          true);
                  assertThat(reply).startsWith("HTTP/1.1 400").contains("\"part\":\"BODY\"");
                }));
  }

  @Test
  void aBrokenChunkedBodyIs4xx() {
    qt(200)
        .forAll(chunks())
        .checkAssert(
            unchecked(
                chunked -> {
                  String reply =
                      send(
                          "POST /x HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
                              + chunked,
                          true);
                  assertThat(reply).as(chunked).matches("(?s)HTTP/1.1 (2|4)\\d\\d.*");
                }));
  }

  private static Gen<String> chunks() {
    return oneOf(
        Fuzz.strings("0123456789abcdefxyz;\r\n ", 0, 30),
        arbitrary()
            .pick(
                "5\r\nhello\r\nzz\r\n",
                "ffffffffffffffffffff\r\nx\r\n",
                "3\r\nabcdef\r\n0\r\n\r\n",
                "-1\r\n\r\n",
                "5\r\nhel"));
  }

  /** Writes {@code request}, optionally half-closes, and reads the whole reply (10 s at most). */
  private static String send(String request, boolean halfClose) throws IOException {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", server.port()), 5000);
      socket.setSoTimeout(10_000);
      socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
      socket.getOutputStream().flush();
      if (halfClose) {
        socket.shutdownOutput();
      }
      InputStream in = socket.getInputStream();
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      byte[] buffer = new byte[4096];
      try {
        for (int n; (n = in.read(buffer)) >= 0; ) {
          out.write(buffer, 0, n);
          String text = out.toString(StandardCharsets.UTF_8);
          if (text.contains("\r\n\r\n") && text.endsWith("}")) {
            break;
          }
        }
      } catch (SocketException e) {
        // a reset after the reply still leaves the reply
      }
      return out.toString(StandardCharsets.UTF_8);
    }
  }
}
