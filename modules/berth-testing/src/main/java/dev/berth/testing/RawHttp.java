package dev.berth.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import javax.net.SocketFactory;

/**
 * Sends bytes no well-behaved client would — a malformed escape in a request line, a body shorter
 * than its {@code Content-Length}, a broken chunked body — and reads back the status and body.
 * Every read is bounded by a timeout, so a server that hangs fails the test instead of the build.
 * Not thread-safe; one request per instance call.
 */
public final class RawHttp {

  /** A reply: its status ({@code -1} when the server closed without one), headers and body. */
  public record Reply(int status, String head, String body) {}

  private RawHttp() {}

  /**
   * Writes {@code request} to {@code host:port}, optionally half-closing the connection after it
   * (so a short body ends), and reads the reply until the connection closes, one response is
   * complete or {@code timeout} passes.
   */
  public static Reply send(
      SocketFactory sockets,
      String host,
      int port,
      byte[] request,
      boolean halfClose,
      Duration timeout)
      throws IOException {
    try (Socket socket = sockets.createSocket()) {
      socket.connect(new InetSocketAddress(host, port), (int) timeout.toMillis());
      socket.setSoTimeout((int) timeout.toMillis());
      OutputStream out = socket.getOutputStream();
      out.write(request);
      out.flush();
      if (halfClose) {
        socket.shutdownOutput(); // over TLS, a close_notify: the JDK's sockets support half-close
      }
      return read(socket.getInputStream());
    }
  }

  public static Reply send(int port, String request, boolean halfClose) throws IOException {
    return send(
        SocketFactory.getDefault(),
        "127.0.0.1",
        port,
        request.getBytes(StandardCharsets.ISO_8859_1),
        halfClose,
        Duration.ofSeconds(10));
  }

  private static Reply read(InputStream in) throws IOException {
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    byte[] buffer = new byte[8192];
    try {
      int n;
      while ((n = in.read(buffer)) >= 0) {
        all.write(buffer, 0, n);
        if (complete(all.toString(StandardCharsets.ISO_8859_1))) {
          break;
        }
      }
    } catch (SocketTimeoutException e) {
      if (all.size() == 0) {
        throw new IOException("no reply within the timeout", e);
      }
    } catch (IOException e) {
      // A reset after the reply was read still leaves the reply.
      if (all.size() == 0) {
        return new Reply(-1, "", "");
      }
    }
    String text = all.toString(StandardCharsets.UTF_8);
    int split = text.indexOf("\r\n\r\n");
    if (!text.startsWith("HTTP/1.1 ") || split < 0) {
      return new Reply(-1, text, "");
    }
    int status = Integer.parseInt(text.substring(9, 12));
    return new Reply(status, text.substring(0, split), text.substring(split + 4));
  }

  /** True when the head is in and the body has its Content-Length (or there is none). */
  private static boolean complete(String text) {
    int split = text.indexOf("\r\n\r\n");
    if (split < 0) {
      return false;
    }
    String head = text.substring(0, split).toLowerCase(Locale.ROOT);
    int at = head.indexOf("\ncontent-length:");
    if (at < 0) {
      return !head.contains("transfer-encoding: chunked") || text.endsWith("0\r\n\r\n");
    }
    int end = head.indexOf('\r', at + 1);
    long length = Long.parseLong(head.substring(at + 16, end < 0 ? head.length() : end).strip());
    return text.length() - split - 4 >= length;
  }
}
