package dev.berth.runtime.image.internal;

import dev.berth.runtime.image.ClientTls;
import dev.berth.runtime.image.PullException;
import dev.berth.runtime.image.PullException.Step;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.InputStreamResponseListener;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.client.Response;
import org.eclipse.jetty.client.WWWAuthenticationProtocolHandler;
import org.eclipse.jetty.client.transport.HttpClientTransportOverHTTP;
import org.eclipse.jetty.io.ClientConnectionFactory;
import org.eclipse.jetty.io.ClientConnector;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.io.ssl.SslClientConnectionFactory;
import org.eclipse.jetty.io.ssl.SslConnection;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * Sends registry requests with one Jetty {@link HttpClient} per source address, so that a pull
 * leaves from its environment's outbound address: registry network rules judge that peer address.
 * Redirects are not followed here (blob downloads follow them without the registry's credentials).
 * TLS runs on the {@link ClientTls} engines when given (each released when its connection closes),
 * else on the JDK's. Thread-safe.
 */
final class RegistryTransport implements AutoCloseable {

  /** An answer whose body is still to be read; close it. */
  record Answer(int status, Map<String, String> headers, InputStream body)
      implements AutoCloseable {
    Optional<String> header(String name) {
      return Optional.ofNullable(headers.get(name.toLowerCase(Locale.ROOT)));
    }

    /** Reads the whole body; more than {@code limit} bytes is an error of the registry. */
    byte[] bytes(int limit) throws IOException {
      try (InputStream in = body) {
        byte[] content = in.readNBytes(limit + 1);
        if (content.length > limit) {
          throw new IOException("the answer is larger than " + limit + " bytes");
        }
        return content;
      }
    }

    @Override
    public void close() {
      try {
        body.close();
      } catch (IOException e) {
        // the connection is dropped; nothing else to release
      }
    }
  }

  private static final long HEADERS_TIMEOUT_SECONDS = 60;
  private static final int MAX_THREADS = 200;
  private static final int MIN_THREADS = 2;

  private final SSLContext trust;
  private final Optional<ClientTls> engines;
  private final Map<String, HttpClient> clients = new ConcurrentHashMap<>();
  private volatile boolean closed;

  RegistryTransport(SSLContext trust, Optional<ClientTls> engines) {
    this.trust = trust;
    this.engines = engines;
  }

  /**
   * Sends {@code request} (built by {@code build} on the client for {@code source}) and waits for
   * the response headers.
   */
  Answer send(
      Optional<InetAddress> source, Step step, String method, URI uri, Consumer<Request> build)
      throws PullException {
    Request request = client(source).newRequest(uri).method(method).followRedirects(false);
    build.accept(request);
    InputStreamResponseListener listener = new InputStreamResponseListener();
    request.send(listener);
    try {
      Response response = listener.get(HEADERS_TIMEOUT_SECONDS, TimeUnit.SECONDS);
      Map<String, String> headers = new HashMap<>();
      response
          .getHeaders()
          .forEach(
              field ->
                  headers.putIfAbsent(
                      field.getLowerCaseName(), response.getHeaders().get(field.getName())));
      return new Answer(response.getStatus(), headers, new FailuresAsIo(listener.getInputStream()));
    } catch (ExecutionException e) {
      throw PullErrors.unreachable(step, method, uri, e.getCause());
    } catch (TimeoutException e) {
      var unused = request.abort(e); // the answer is the exception thrown below
      throw PullErrors.unreachable(step, method, uri, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      var unused = request.abort(e); // the answer is the exception thrown below
      throw PullErrors.unreachable(step, method, uri, e);
    }
  }

  /** Starts the client for {@code source} ahead of its first request. */
  void warm(Optional<InetAddress> source) {
    client(source);
  }

  /** Whether the client for {@code source} has been started. */
  boolean started(Optional<InetAddress> source) {
    return clients.containsKey(key(source));
  }

  private HttpClient client(Optional<InetAddress> source) {
    if (closed) {
      throw new IllegalStateException("the image puller is closed");
    }
    HttpClient client = clients.computeIfAbsent(key(source), k -> start(source));
    if (closed) {
      // close() ran while this client started (the warm-up's): stop it as close() would have.
      stop(client);
      throw new IllegalStateException("the image puller is closed");
    }
    return client;
  }

  private static String key(Optional<InetAddress> source) {
    return source.map(InetAddress::getHostAddress).orElse("");
  }

  private HttpClient start(Optional<InetAddress> source) {
    SslContextFactory.Client tls =
        engines
            .<SslContextFactory.Client>map(EngineSource::new)
            .orElseGet(SslContextFactory.Client::new);
    // Jetty builds a JDK context at start in either case (to size its buffers by).
    tls.setSslContext(trust);
    ClientConnector connector =
        engines.<ClientConnector>map(ReleasingConnector::new).orElseGet(ClientConnector::new);
    connector.setSslContextFactory(tls);
    HttpClient client = new HttpClient(new HttpClientTransportOverHTTP(connector));
    source.ifPresent(address -> client.setBindAddress(new InetSocketAddress(address, 0)));
    client.setFollowRedirects(false);
    client.setConnectTimeout(10_000);
    client.setIdleTimeout(60_000);
    // The client's threads only select and hand bodies over (pulls read them on their own
    // threads); one client per environment, each started as its environment is stored: two kept
    // while idle, not Jetty's default eight.
    QueuedThreadPool threads = new QueuedThreadPool(MAX_THREADS, MIN_THREADS);
    threads.setName("image-pull-" + source.map(InetAddress::getHostAddress).orElse("default"));
    client.setExecutor(threads);
    try {
      client.start();
    } catch (Exception e) {
      throw new IllegalStateException("cannot start the image-pull HTTP client", e);
    }
    // Challenges are answered by RegistryAuthenticator, not by Jetty's authentication store
    // (start() installs the handler, so it is removed afterwards).
    client.getProtocolHandlers().remove(WWWAuthenticationProtocolHandler.NAME);
    return client;
  }

  @Override
  public void close() {
    closed = true;
    clients.values().forEach(RegistryTransport::stop);
    clients.clear();
    engines.ifPresent(ClientTls::close);
  }

  private static void stop(HttpClient client) {
    try {
      client.stop();
    } catch (Exception e) {
      // stopping is best effort: the JVM is going down or the puller is discarded
    }
  }

  /** Hands Jetty the {@link ClientTls} engines in place of the JDK's, one per connection. */
  private static final class EngineSource extends SslContextFactory.Client {
    private final ClientTls engines;

    EngineSource(ClientTls engines) {
      this.engines = engines;
    }

    /**
     * Every connection's engine: Jetty asks for one by its peer. ({@code newSSLEngine()}, without a
     * peer, stays the JDK's: Jetty asks for it only at start and drops it.)
     */
    @Override
    public SSLEngine newSSLEngine(String host, int port) {
      return engines.newEngine(host, port);
    }
  }

  /** A connector whose TLS connections release their {@link ClientTls} engine once closed. */
  private static final class ReleasingConnector extends ClientConnector {
    private final ClientTls engines;

    ReleasingConnector(ClientTls engines) {
      this.engines = engines;
    }

    @Override
    public ClientConnectionFactory newSslClientConnectionFactory(
        SslContextFactory.Client ssl, ClientConnectionFactory next) {
      SslClientConnectionFactory factory =
          new SslClientConnectionFactory(
              ssl != null ? ssl : getSslContextFactory(),
              getByteBufferPool(),
              getExecutor(),
              next) {
            @Override
            protected SslConnection newSslConnection(EndPoint endPoint, SSLEngine engine) {
              return new SslConnection(
                  getByteBufferPool(),
                  getExecutor(),
                  getSslContextFactory(),
                  endPoint,
                  engine,
                  isDirectBuffersForEncryption(),
                  isDirectBuffersForDecryption()) {
                private final AtomicBoolean released = new AtomicBoolean();

                @Override
                public void onClose(Throwable cause) {
                  try {
                    super.onClose(cause);
                  } finally {
                    if (released.compareAndSet(false, true)) {
                      engines.release(engine);
                    }
                  }
                }
              };
            }
          };
      // Native engines read and write records in native memory: heap buffers would be copied
      // once more on each side.
      factory.setDirectBuffersForEncryption(true);
      factory.setDirectBuffersForDecryption(true);
      return factory;
    }
  }

  /**
   * Jetty reports some response failures as unchecked exceptions from read(); callers expect IO.
   */
  private static final class FailuresAsIo extends FilterInputStream {
    FailuresAsIo(InputStream in) {
      super(in);
    }

    @Override
    public int read() throws IOException {
      try {
        return super.read();
      } catch (RuntimeException e) {
        throw new IOException(e.getMessage(), e);
      }
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
      try {
        return super.read(buffer, offset, length);
      } catch (RuntimeException e) {
        throw new IOException(e.getMessage(), e);
      }
    }
  }
}
