package dev.berth.ingress.internal;

import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;

/**
 * The headers Container Apps' ingress adds to a request on its way to the app: {@code
 * X-Forwarded-For} (the client's list, if any, with the peer's address appended), {@code
 * X-Forwarded-Proto} and {@code X-Forwarded-Host} (set by the ingress, whatever the client sent),
 * and a fresh {@code X-Request-Id}. Stateless; thread-safe.
 *
 * @see <a href="https://learn.microsoft.com/azure/container-apps/ingress-overview#http-headers">
 *     Ingress in Azure Container Apps: HTTP headers</a>
 */
final class ForwardedHeaders {

  static final String FOR = "X-Forwarded-For";
  static final String PROTO = "X-Forwarded-Proto";
  static final String HOST = "X-Forwarded-Host";

  /**
   * Envoy's request id header, which Container Apps' (Envoy-based) ingress passes to apps. A value
   * the client sent is replaced: at the edge it proves nothing.
   */
  static final String REQUEST_ID = "X-Request-Id";

  private ForwardedHeaders() {}

  static void add(Request request, HttpFields.Mutable headers) {
    String peer = Request.getRemoteAddr(request);
    List<String> prior = request.getHeaders().getValuesList(FOR);
    headers.put(FOR, prior.isEmpty() ? peer : String.join(", ", prior) + ", " + peer);
    headers.put(PROTO, request.isSecure() ? "https" : "http");
    String host = request.getHeaders().get(HttpHeader.HOST);
    if (host != null) {
      headers.put(HOST, host);
    }
    headers.put(REQUEST_ID, requestId());
  }

  /**
   * A random version-4 UUID: unique enough to find one request in the logs, and drawn without
   * {@code SecureRandom}'s cost on every request (it is no secret).
   */
  static String requestId() {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    long high = (random.nextLong() & ~0xF000L) | 0x4000L;
    long low = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
    return new java.util.UUID(high, low).toString();
  }
}
