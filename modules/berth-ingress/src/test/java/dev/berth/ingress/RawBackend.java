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

  private final java.util.concurrent.atomic.AtomicInteger resetsLeft;
  private final java.util.concurrent.atomic.AtomicInteger accepted =
      new java.util.concurrent.atomic.AtomicInteger();

  private RawBackend(String answer, int resets) throws IOException {
    socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    resetsLeft = new java.util.concurrent.atomic.AtomicInteger(resets);
    acceptor = Thread.ofVirtual().start(() -> serve(answer));
  }

  /**
   * Resets the first {@code resets} connections as they are accepted, unread, as a replica's kernel
   * does when a burst overflows its accept queue; answers the rest with {@code answer}.
   */
  static RawBackend resettingFirst(int resets, String answer) throws IOException {
    return new RawBackend(answer, resets);
  }

  /** Connections accepted so far. */
  int accepted() {
    return accepted.get();
  }

  /** Writes {@code answer} to every connection after its request headers, then closes it. */
  static RawBackend answering(String answer) throws IOException {
    return new RawBackend(answer, 0);
  }

  AppRoute route() {
    return AppRoute.serving(
        "raw", "raw--1", true, List.of(new Backend("127.0.0.1", socket.getLocalPort())));
  }

  private void serve(String answer) {
    while (!socket.isClosed()) {
      try (Socket connection = socket.accept()) {
        accepted.incrementAndGet();
        if (resetsLeft.getAndDecrement() > 0) {
          connection.setSoLinger(true, 0); // close() now sends RST, not FIN
          continue;
        }
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
