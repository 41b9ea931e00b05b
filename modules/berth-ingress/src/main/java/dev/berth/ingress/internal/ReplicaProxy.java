package dev.berth.ingress.internal;

import dev.berth.ingress.Backend;
import dev.berth.ingress.IngressSettings;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.transport.HttpClientConnectionFactory;
import org.eclipse.jetty.client.transport.HttpClientTransportDynamic;
import org.eclipse.jetty.http.HttpURI;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.http2.client.HTTP2Client;
import org.eclipse.jetty.http2.client.transport.ClientConnectionFactoryOverHTTP2;
import org.eclipse.jetty.io.ClientConnector;
import org.eclipse.jetty.proxy.ProxyHandler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Sends a request on to the replica the {@link HostRouter} chose and streams the answer back:
 * Jetty's {@link ProxyHandler} (hop-by-hop headers dropped both ways, bodies streamed chunk by
 * chunk, 502 when the replica fails before answering, 504 past the timeout) over a pooled,
 * keep-alive {@code HttpClient}, with Container Apps' forwarding headers in place of Jetty's {@code
 * Via} and {@code Forwarded}. Thread-safe.
 */
public final class ReplicaProxy extends ProxyHandler {

  private static final String BACKEND = ReplicaProxy.class.getName() + ".backend";
  private static final String HTTP2 = ReplicaProxy.class.getName() + ".http2";

  private final IngressSettings settings;

  public ReplicaProxy(IngressSettings settings) {
    this.settings = settings;
    // The client runs on the server's (virtual) threads rather than a pool of its own: one pool to
    // size, and it measured as fast or faster (docs/ingress.md).
    setUseServerThreadPool(true);
  }

  /** Proxies {@code request} to {@code backend}, over h2c when {@code http2}. */
  boolean proxy(
      Request request, Response response, Callback callback, Backend backend, boolean http2) {
    request.setAttribute(BACKEND, backend);
    if (http2) {
      request.setAttribute(HTTP2, Boolean.TRUE);
    }
    return handle(request, response, callback);
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
    Backend backend = (Backend) request.getAttribute(BACKEND);
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
    return request.getAttribute(HTTP2) == null
        ? upstream.version(HttpVersion.HTTP_1_1)
        : upstream.version(HttpVersion.HTTP_2);
  }

  @Override
  protected void addProxyHeaders(Request request, org.eclipse.jetty.client.Request upstream) {
    upstream.headers(headers -> ForwardedHeaders.add(request, headers));
    if (request.getAttribute(HTTP2) != null) {
      // HTTP/2 carries the authority in :authority, which Jetty's client takes from the replica's
      // address; a Host beside it that differs is a 400 (RFC 9113 §8.3.1). The client's host
      // stays in X-Forwarded-Host.
      upstream.headers(headers -> headers.remove(org.eclipse.jetty.http.HttpHeader.HOST));
    }
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
