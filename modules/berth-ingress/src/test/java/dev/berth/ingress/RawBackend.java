package dev.berth.ingress;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * A replica that misbehaves on purpose: on 127.0.0.1, it reads a request's headers, writes a fixed
 * answer (perhaps none, perhaps a truncated one) and closes the connection. Thread-safe.
 */
final class RawBackend implements AutoCloseable {

  private final ServerSocket socket;
  private final Thread acceptor;

  private RawBackend(String answer) throws IOException {
    socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    acceptor = Thread.ofVirtual().start(() -> serve(answer));
  }

  /** Writes {@code answer} to every connection after its request headers, then closes it. */
  static RawBackend answering(String answer) throws IOException {
    return new RawBackend(answer);
  }

  AppRoute route() {
    return AppRoute.serving(
        "raw", "raw--1", true, List.of(new Backend("127.0.0.1", socket.getLocalPort())));
  }

  private void serve(String answer) {
    while (!socket.isClosed()) {
      try (Socket connection = socket.accept()) {
        readHeaders(connection.getInputStream());
        OutputStream out = connection.getOutputStream();
        out.write(answer.getBytes(StandardCharsets.US_ASCII));
        out.flush();
      } catch (IOException closed) {
        // The socket closed under accept(), or the proxy hung up: either way, next.
      }
    }
  }

  private static void readHeaders(InputStream in) throws IOException {
    int matched = 0;
    byte[] end = {'\r', '\n', '\r', '\n'};
    for (int b = in.read(); b >= 0; b = in.read()) {
      matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
      if (matched == end.length) {
        return;
      }
    }
  }

  @Override
  public void close() throws IOException {
    socket.close();
    try {
      acceptor.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
