package dev.berth.server;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * An attacker's slow connections to one port, from one source address: slowloris (a TLS handshake,
 * then request headers that never end) or idle handshakes (a TCP connection and the first bytes of
 * a TLS ClientHello, then nothing). Opens them 64 at a time; knows which of them the server has
 * closed and when. Closes every socket it opened. Thread-safe.
 */
final class SlowConnections implements AutoCloseable {

  enum Kind {
    SLOWLORIS,
    IDLE_HANDSHAKE
  }

  /** One socket, when its connect began and when the connect completed. */
  private record Held(Socket socket, long openedNanos, long connectedNanos) {}

  private final List<Held> held = new ArrayList<>();
  private final Semaphore inFlight = new Semaphore(64);
  private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
  private int failed;

  /** Opens {@code n} connections of {@code kind} in the background. */
  // Each connection's outcome is counted, not returned.
  @SuppressWarnings("FutureReturnValueIgnored")
  void open(Kind kind, int n, String source, int port) {
    for (int i = 0; i < n; i++) {
      threads.submit(
          () -> {
            inFlight.acquire();
            try {
              Held h = openOne(kind, source, port);
              synchronized (this) {
                held.add(h);
              }
            } catch (IOException e) {
              synchronized (this) {
                failed++;
              }
            } finally {
              inFlight.release();
            }
            return null;
          });
    }
  }

  private static Held openOne(Kind kind, String source, int port) throws IOException {
    Socket raw = new Socket();
    raw.bind(new InetSocketAddress(source, 0));
    long opened = System.nanoTime();
    try {
      raw.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
      long connected = System.nanoTime();
      raw.setSoTimeout(10_000);
      if (kind == Kind.IDLE_HANDSHAKE) {
        // A TLS handshake record header announcing 512 bytes of ClientHello, which never come.
        raw.getOutputStream().write(new byte[] {0x16, 0x03, 0x01, 0x02, 0x00});
        return new Held(raw, opened, connected);
      }
      SSLSocket tls =
          (SSLSocket) TRUST_ALL.getSocketFactory().createSocket(raw, "127.0.0.1", port, true);
      tls.startHandshake();
      tls.getOutputStream()
          .write(
              "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ".getBytes(StandardCharsets.US_ASCII));
      tls.getOutputStream().flush();
      return new Held(tls, opened, connected);
    } catch (IOException e) {
      raw.close();
      throw e;
    }
  }

  /** Waits until every connection asked for is open or refused. */
  void awaitOpened(Duration timeout) throws InterruptedException {
    threads.shutdown();
    if (!threads.awaitTermination(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new IllegalStateException("slow connections still opening after " + timeout);
    }
  }

  /** Connections that could not even be opened (refused during the handshake, say). */
  synchronized int failed() {
    return failed;
  }

  /** Connections still open after their handshake or first bytes. */
  synchronized int opened() {
    return held.size();
  }

  /** A connection the server has not closed: how long its connect took, and its age since. */
  record Open(Duration connect, Duration age) {
    @Override
    public String toString() {
      return "connected in " + connect.toMillis() + " ms, open " + age.toMillis() + " ms since";
    }
  }

  /**
   * The connections the server has not closed yet, though their connect completed longer than
   * {@code age} ago. A closed one reads end-of-stream (or a reset) at once.
   */
  synchronized List<Open> openLongerThan(Duration age) throws IOException {
    List<Open> open = new ArrayList<>();
    long now = System.nanoTime();
    for (Held h : held) {
      if (now - h.connectedNanos() < age.toNanos()) {
        continue;
      }
      h.socket().setSoTimeout(1);
      boolean closed;
      try {
        closed = h.socket().getInputStream().read() < 0; // or the server answered something
      } catch (SocketTimeoutException e) {
        closed = false;
      } catch (IOException e) {
        closed = true; // reset by the server
      }
      if (!closed) {
        open.add(
            new Open(
                Duration.ofNanos(h.connectedNanos() - h.openedNanos()),
                Duration.ofNanos(now - h.connectedNanos())));
      }
    }
    return open;
  }

  @Override
  public synchronized void close() {
    threads.shutdownNow();
    for (Held h : held) {
      try {
        h.socket().close();
      } catch (IOException e) {
        // closing is best effort
      }
    }
    held.clear();
  }

  /** The attacker does not care who it talks to. */
  private static final SSLContext TRUST_ALL = trustAll();

  private static SSLContext trustAll() {
    try {
      SSLContext ssl = SSLContext.getInstance("TLS");
      ssl.init(
          null,
          new TrustManager[] {
            new X509TrustManager() {
              @Override
              public void checkClientTrusted(X509Certificate[] chain, String authType) {}

              @Override
              public void checkServerTrusted(X509Certificate[] chain, String authType) {}

              @Override
              public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
              }
            }
          },
          null);
      return ssl;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
