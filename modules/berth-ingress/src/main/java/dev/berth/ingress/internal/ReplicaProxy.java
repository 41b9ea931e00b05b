package dev.berth.ingress.internal;

import dev.berth.ingress.Backend;
import dev.berth.ingress.IngressSettings;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.transport.HttpClientConnectionFactory;
import org.eclipse.jetty.client.transport.HttpClientTransportDynamic;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpURI;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.http2.client.HTTP2Client;
import org.eclipse.jetty.http2.client.transport.ClientConnectionFactoryOverHTTP2;
import org.eclipse.jetty.io.ClientConnector;
import org.eclipse.jetty.proxy.ProxyHandler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends a request on to the replica the {@link HostRouter} chose and streams the answer back:
 * Jetty's {@link ProxyHandler} (hop-by-hop headers dropped both ways, bodies streamed chunk by
 * chunk, 502 when the replica fails before answering, 504 past the timeout) over a pooled,
 * keep-alive {@code HttpClient}, with Container Apps' forwarding headers in place of Jetty's {@code
 * Via} and {@code Forwarded}. A request with no body and an idempotent method that fails before any
 * of its answer reached the client goes to another ready replica, up to {@value #MAX_TRIES} tries:
 * a replica that died or is being replaced costs a retry, not an error. With no other replica, one
 * that only dropped the connection (reset, refused, closed) is tried again after a pause that
 * doubles from {@value #FIRST_PAUSE_MILLIS} ms up to {@value #MAX_PAUSE_MILLIS} ms (about 5.5 s in
 * all): a burst that overflows an app's accept queue resets connections (the replica's {@code
 * tcp_abort_on_overflow}, docs/ingress.md), and the app takes them as it catches up, with pauses
 * far shorter than TCP's own backed-off retransmissions. Thread-safe.
 */
public final class ReplicaProxy extends ProxyHandler {

  private static final Logger LOG = LoggerFactory.getLogger(ReplicaProxy.class);
  private static final String EXCHANGE = ReplicaProxy.class.getName() + ".exchange";
  private static final int MAX_TRIES = 10;
  private static final long FIRST_PAUSE_MILLIS = 50;
  private static final long MAX_PAUSE_MILLIS = 1_000;

  /** Idempotent methods (RFC 9110 §9.2.2): sent twice, they do what sending them once does. */
  private static final Set<String> IDEMPOTENT =
      Set.of("GET", "HEAD", "OPTIONS", "TRACE", "PUT", "DELETE");

  /** One request's way to its replicas: the one it is on, those tried, the ones it may try. */
  private static final class Exchange {
    final List<Backend> backends;
    final ReplicaPicker picker;
    final boolean http2;
    final List<Backend> tried = new ArrayList<>(1);
    volatile Backend current;
    int tries = 1;
    long pauseMillis = FIRST_PAUSE_MILLIS;

    Exchange(List<Backend> backends, ReplicaPicker picker, Backend first, boolean http2) {
      this.backends = backends;
      this.picker = picker;
      this.current = first;
      this.http2 = http2;
    }
  }

  private final IngressSettings settings;

  public ReplicaProxy(IngressSettings settings) {
    this.settings = settings;
    // The client runs on the server's (virtual) threads rather than a pool of its own: one pool to
    // size, and it measured as fast or faster (docs/ingress.md).
    setUseServerThreadPool(true);
  }

  /**
   * Proxies {@code request} to {@code backend}, which the caller claimed from {@code picker}; the
   * claim is released when the exchange ends.
   *
   * @param backends the route's replicas, for a retry
   * @param http2 whether to speak h2c to the replica ({@code transport: http2})
   */
  boolean proxy(
      Request request,
      Response response,
      Callback callback,
      List<Backend> backends,
      Backend backend,
      ReplicaPicker picker,
      boolean http2) {
    Exchange exchange = new Exchange(backends, picker, backend, http2);
    request.setAttribute(EXCHANGE, exchange);
    Callback release = Ending.then(callback, () -> picker.release(exchange.current));
    return handle(request, response, release);
  }

  @Override
  protected HttpClient newHttpClient() {
    // HTTP/1.1 by default; HTTP/2 without TLS (h2c, prior knowledge) for requests asking for it.
    ClientConnector connector = new ClientConnector();
    return new HttpClient(
        new HttpClientTransportDynamic(
            connector,
            HttpClientConnectionFactory.HTTP11,
            new ClientConnectionFactoryOverHTTP2.HTTP2(new HTTP2Client(connector))));
  }

  @Override
  protected HttpURI rewriteHttpURI(Request request) {
    Backend backend = ((Exchange) request.getAttribute(EXCHANGE)).current;
    // Path and query as the client sent them, still encoded: the app decodes them itself.
    return HttpURI.build(request.getHttpURI())
        .scheme("http")
        .host(backend.host())
        .port(backend.port());
  }

  @Override
  protected org.eclipse.jetty.client.Request newProxyToServerRequest(
      Request request, HttpURI target) {
    org.eclipse.jetty.client.Request upstream =
        super.newProxyToServerRequest(request, target)
            .timeout(settings.requestTimeout().toMillis(), TimeUnit.MILLISECONDS);
    // transport: http2 — h2c to the replica, whatever the client spoke (docs/ingress.md).
    return http2(request)
        ? upstream.version(HttpVersion.HTTP_2)
        : upstream.version(HttpVersion.HTTP_1_1);
  }

  @Override
  protected void addProxyHeaders(Request request, org.eclipse.jetty.client.Request upstream) {
    upstream.headers(headers -> ForwardedHeaders.add(request, headers));
    if (http2(request)) {
      // HTTP/2 carries the authority in :authority, which Jetty's client takes from the replica's
      // address; a Host beside it that differs is a 400 (RFC 9113 §8.3.1). The client's host
      // stays in X-Forwarded-Host.
      upstream.headers(headers -> headers.remove(HttpHeader.HOST));
    }
  }

  private static boolean http2(Request request) {
    return request.getAttribute(EXCHANGE) instanceof Exchange e && e.http2;
  }

  @Override
  protected void onServerToProxyResponseFailure(
      Request clientToProxyRequest,
      org.eclipse.jetty.client.Request proxyToServerRequest,
      org.eclipse.jetty.client.Response serverToProxyResponse,
      Response proxyToClientResponse,
      Callback proxyToClientCallback,
      Throwable failure) {
    Exchange exchange = (Exchange) clientToProxyRequest.getAttribute(EXCHANGE);
    if (exchange != null
        && !proxyToClientResponse.isCommitted()
        && retryable(clientToProxyRequest)
        && exchange.tries < MAX_TRIES) {
      Backend failed = exchange.current;
      if (!exchange.tried.contains(failed)) {
        exchange.tried.add(failed);
      }
      Backend next = exchange.picker.pick(exchange.backends, exchange.tried);
      long pause = 0;
      if (next == null && connectionLost(failure) && exchange.picker.claim(failed)) {
        next = failed;
        // Jitter: the requests of one burst failed together and must not come back together.
        pause =
            java.util.concurrent.ThreadLocalRandom.current()
                .nextLong(exchange.pauseMillis / 2, exchange.pauseMillis + 1);
        exchange.pauseMillis = Math.min(exchange.pauseMillis * 2, MAX_PAUSE_MILLIS);
      }
      if (next != null) {
        LOG.debug(
            "replica {} failed ({}); try {} on {} in {} ms",
            failed,
            failure.toString(),
            exchange.tries + 1,
            next,
            pause);
        exchange.tries++;
        exchange.picker.release(failed);
        exchange.current = next;
        Runnable retry =
            () -> {
              try {
                handle(clientToProxyRequest, proxyToClientResponse, proxyToClientCallback);
              } catch (Exception e) {
                failure.addSuppressed(e);
                fail(
                    clientToProxyRequest,
                    proxyToServerRequest,
                    serverToProxyResponse,
                    proxyToClientResponse,
                    proxyToClientCallback,
                    failure);
              }
            };
        if (pause == 0) {
          retry.run();
        } else {
          getHttpClient().getScheduler().schedule(retry, pause, TimeUnit.MILLISECONDS);
        }
        return;
      }
    }
    fail(
        clientToProxyRequest,
        proxyToServerRequest,
        serverToProxyResponse,
        proxyToClientResponse,
        proxyToClientCallback,
        failure);
  }

  /** Jetty's answer to a failed exchange: 502, or 504 past the timeout. */
  private void fail(
      Request clientToProxyRequest,
      org.eclipse.jetty.client.Request proxyToServerRequest,
      org.eclipse.jetty.client.Response serverToProxyResponse,
      Response proxyToClientResponse,
      Callback proxyToClientCallback,
      Throwable failure) {
    super.onServerToProxyResponseFailure(
        clientToProxyRequest,
        proxyToServerRequest,
        serverToProxyResponse,
        proxyToClientResponse,
        proxyToClientCallback,
        failure);
  }

  /**
   * Whether the replica only dropped the connection (reset, refused, closed) rather than took too
   * long: trying a slow replica again would wait out the timeout twice.
   */
  static boolean connectionLost(Throwable failure) {
    boolean io = false;
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof java.util.concurrent.TimeoutException) {
        return false;
      }
      io |= t instanceof java.io.IOException;
    }
    return io;
  }

  /** A request that may be sent again: idempotent, and no body that was read already. */
  private static boolean retryable(Request request) {
    return IDEMPOTENT.contains(request.getMethod())
        && request.getLength() <= 0
        && !request.getHeaders().contains(HttpHeader.TRANSFER_ENCODING);
  }

  @Override
  protected void configureHttpClient(HttpClient client) {
    super.configureHttpClient(client);
    client.setMaxConnectionsPerDestination(settings.maxConnectionsPerReplica());
    // A replica that takes its time before the first byte is still inside the request timeout.
    client.setIdleTimeout(settings.requestTimeout().toMillis());
    // A replica on the bridge connects in microseconds or refuses at once; 5 s covers a busy host.
    client.setConnectTimeout(5_000);
    // The app sees the client's User-Agent, or none: never one the proxy invents.
    client.setUserAgentField(null);
  }
}
