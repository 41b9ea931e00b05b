package dev.berth.ingress;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.client.ContentResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * WebSockets pass through the ingress: the JDK's WebSocket client, through the ingress, to Jetty's
 * WebSocket server as the replica; messages echo, and a close from either side reaches the other.
 */
class WebSocketTunnelTest {

  private IngressFixture ingress;
  private WebSocketEchoBackend backend;
  private HttpClient jdk;

  @BeforeEach
  void start() throws Exception {
    ingress = IngressFixture.http();
    backend = new WebSocketEchoBackend();
    // The JDK client sets Host from the URI: the app is routed at the ingress's own address.
    ingress.routes.put("127.0.0.1", backend.route());
    jdk = HttpClient.newHttpClient();
  }

  @AfterEach
  void stop() throws Exception {
    jdk.close();
    backend.close();
    ingress.close();
  }

  /** Messages and the close the client receives. */
  static final class Received implements WebSocket.Listener {
    final LinkedBlockingQueue<String> messages = new LinkedBlockingQueue<>();
    final CompletableFuture<String> closed = new CompletableFuture<>();
    private final StringBuilder partial = new StringBuilder();

    @Override
    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
      partial.append(data);
      if (last) {
        messages.add(partial.toString());
        partial.setLength(0);
      }
      ws.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket ws, int status, String reason) {
      closed.complete(status + " " + reason);
      return null;
    }

    @Override
    public void onError(WebSocket ws, Throwable error) {
      closed.completeExceptionally(error);
    }
  }

  private WebSocket connect(Received listener) throws Exception {
    return jdk.newWebSocketBuilder()
        .buildAsync(URI.create("ws://127.0.0.1:" + ingress.port() + "/ws"), listener)
        .get(10, TimeUnit.SECONDS);
  }

  @Test
  void messagesEchoThroughTheIngress() throws Exception {
    Received received = new Received();
    WebSocket ws = connect(received);

    ws.sendText("hello", true).get(5, TimeUnit.SECONDS);
    // Larger than the tunnel's 16 KiB chunks; below Jetty's 64 KiB default message limit.
    ws.sendText("x".repeat(60_000), true).get(5, TimeUnit.SECONDS);

    assertThat(received.messages.poll(5, TimeUnit.SECONDS)).isEqualTo("hello");
    assertThat(received.messages.poll(5, TimeUnit.SECONDS)).hasSize(60_000);
    ws.sendClose(WebSocket.NORMAL_CLOSURE, "done").get(5, TimeUnit.SECONDS);
  }

  @Test
  void aCloseFromTheReplicaReachesTheClient() throws Exception {
    Received received = new Received();
    WebSocket ws = connect(received);

    ws.sendText("bye", true).get(5, TimeUnit.SECONDS);

    assertThat(received.closed.get(5, TimeUnit.SECONDS)).isEqualTo("1000 bye");
  }

  @Test
  void aCloseFromTheClientReachesTheReplica() throws Exception {
    Received received = new Received();
    WebSocket ws = connect(received);
    ws.sendText("ping", true).get(5, TimeUnit.SECONDS);
    assertThat(received.messages.poll(5, TimeUnit.SECONDS)).isEqualTo("ping");

    ws.sendClose(WebSocket.NORMAL_CLOSURE, "client leaves").get(5, TimeUnit.SECONDS);

    assertThat(backend.closedByClient.await(5, TimeUnit.SECONDS)).isTrue();
    assertThat(received.closed.get(5, TimeUnit.SECONDS)).startsWith("1000");
  }

  @Test
  void aHandshakeTheReplicaRefusesComesBackAsItsAnswer() throws Exception {
    ContentResponse response =
        ingress
            .request("127.0.0.1", "/elsewhere")
            .headers(
                h -> {
                  h.put("Connection", "Upgrade");
                  h.put("Upgrade", "websocket");
                  h.put("Sec-WebSocket-Version", "13");
                  h.put("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ==");
                })
            .send();

    assertThat(response.getStatus()).isEqualTo(404);
  }

  @Test
  void aReplicaThatIsGoneIs502() throws Exception {
    int port = backend.port();
    backend.close();
    ingress.routes.put(
        "127.0.0.1",
        AppRoute.serving("ws", true, java.util.List.of(new Backend("127.0.0.1", port))));

    ContentResponse response =
        ingress
            .request("127.0.0.1", "/ws")
            .headers(
                h -> {
                  h.put("Connection", "Upgrade");
                  h.put("Upgrade", "websocket");
                  h.put("Sec-WebSocket-Version", "13");
                  h.put("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ==");
                })
            .send();

    assertThat(response.getStatus()).isEqualTo(502);
  }
}
