package dev.berth.runtime.image.internal;

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
import java.util.function.Consumer;
import javax.net.ssl.SSLContext;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.InputStreamResponseListener;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.client.Response;
import org.eclipse.jetty.client.WWWAuthenticationProtocolHandler;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * Sends registry requests with one Jetty {@link HttpClient} per source address, so that a pull
 * leaves from its environment's outbound address: registry network rules judge that peer address.
 * Redirects are not followed here (blob downloads follow them without the registry's credentials).
 * Thread-safe.
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

  private final SSLContext trust;
  private final Map<String, HttpClient> clients = new ConcurrentHashMap<>();
  private volatile boolean closed;

  RegistryTransport(SSLContext trust) {
    this.trust = trust;
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

  private HttpClient client(Optional<InetAddress> source) {
    if (closed) {
      throw new IllegalStateException("the image puller is closed");
    }
    String key = source.map(InetAddress::getHostAddress).orElse("");
    HttpClient client = clients.computeIfAbsent(key, k -> start(source));
    if (closed) {
      // close() ran while this client started (the warm-up's): stop it as close() would have.
      stop(client);
      throw new IllegalStateException("the image puller is closed");
    }
    return client;
  }

  private HttpClient start(Optional<InetAddress> source) {
    SslContextFactory.Client tls = new SslContextFactory.Client();
    tls.setSslContext(trust);
    HttpClient client = new HttpClient();
    client.setSslContextFactory(tls);
    source.ifPresent(address -> client.setBindAddress(new InetSocketAddress(address, 0)));
    client.setFollowRedirects(false);
    client.setConnectTimeout(10_000);
    client.setIdleTimeout(60_000);
    QueuedThreadPool threads = new QueuedThreadPool();
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
  }

  private static void stop(HttpClient client) {
    try {
      client.stop();
    } catch (Exception e) {
      // stopping is best effort: the JVM is going down or the puller is discarded
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
