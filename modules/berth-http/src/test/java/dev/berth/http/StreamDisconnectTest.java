package dev.berth.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.berth.testing.LoopbackServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * A streamed body whose client goes away (a {@code --follow} that is stopped): the handler sees an
 * {@link IOException}, as from any broken connection, and nothing else.
 */
class StreamDisconnectTest {

  @Test
  void aClientThatLeavesMidStreamEndsTheHandlerWithAnIoException() throws Exception {
    AtomicReference<Throwable> ended = new AtomicReference<>();
    byte[] line = "a line of the log\n".repeat(64).getBytes(StandardCharsets.UTF_8);
    try (LoopbackServer server =
        LoopbackServer.http(
            (request, response, callback) -> {
              HttpExchange ex = new HttpExchange(request, response, callback);
              try {
                ex.stream(
                    200,
                    "text/plain",
                    -1,
                    body -> {
                      for (int i = 0; i < 1_000_000; i++) {
                        body.write(line);
                        body.flush();
                      }
                    });
                ended.set(new AssertionError("the stream ended without the client"));
              } catch (Throwable t) {
                ended.set(t);
              }
              return true;
            })) {
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress("127.0.0.1", server.port()), 5_000);
        socket
            .getOutputStream()
            .write("GET /follow HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        InputStream in = socket.getInputStream();
        in.readNBytes(4096);
        socket.setSoLinger(true, 0);
      }

      await().atMost(Duration.ofSeconds(20)).until(() -> ended.get() != null);
      assertThat(ended.get()).isInstanceOf(IOException.class);
      assertThat(ended.get().getSuppressed()).isEmpty();
    }
  }
}
