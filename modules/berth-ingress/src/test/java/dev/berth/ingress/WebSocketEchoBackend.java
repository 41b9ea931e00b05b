package dev.berth.ingress;

import java.util.concurrent.CountDownLatch;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.api.annotations.OnWebSocketClose;
import org.eclipse.jetty.websocket.api.annotations.OnWebSocketMessage;
import org.eclipse.jetty.websocket.api.annotations.WebSocket;
import org.eclipse.jetty.websocket.server.WebSocketUpgradeHandler;

/**
 * A replica that speaks WebSocket (Jetty's server) on 127.0.0.1: {@code /ws} echoes each text
 * message, and closes the session (1000, "bye") when told {@code bye}; other paths are 404. Counts
 * the sessions the client closed. Thread-safe.
 */
final class WebSocketEchoBackend implements AutoCloseable {

  final CountDownLatch closedByClient = new CountDownLatch(1);
  private final Server server = new Server();
  private final ServerConnector connector = new ServerConnector(server);

  WebSocketEchoBackend() throws Exception {
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    server.addConnector(connector);
    server.setHandler(
        WebSocketUpgradeHandler.from(
            server, ws -> ws.addMapping("/ws", (rq, rs, cb) -> new Echo())));
    server.start();
  }

  int port() {
    return connector.getLocalPort();
  }

  AppRoute route() {
    return AppRoute.serving(
        "ws", true, java.util.List.of(new Backend("127.0.0.1", connector.getLocalPort())));
  }

  @WebSocket
  public final class Echo {
    @OnWebSocketMessage
    public void onText(Session session, String message) {
      if (message.equals("bye")) {
        session.close(1000, "bye", Callback.NOOP);
      } else {
        session.sendText(message, Callback.NOOP);
      }
    }

    @OnWebSocketClose
    public void onClose(int status, String reason) {
      if (!"bye".equals(reason)) {
        closedByClient.countDown();
      }
    }
  }

  @Override
  public void close() throws Exception {
    server.stop();
  }
}
