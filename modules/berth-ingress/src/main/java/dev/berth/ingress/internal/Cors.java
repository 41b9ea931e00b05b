package dev.berth.ingress.internal;

import dev.berth.ingress.CorsPolicy;
import java.util.Optional;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.BufferUtil;
import org.eclipse.jetty.util.Callback;

/**
 * An app's {@code corsPolicy} at the edge, as Container Apps' (Envoy's) CORS filter applies it: a
 * preflight ({@code OPTIONS} with {@code Origin} and {@code Access-Control-Request-Method}) from an
 * allowed origin is answered by the ingress, 200 with the policy's headers; any other request from
 * an allowed origin goes to the app and its response gets {@code Access-Control-Allow-Origin} (the
 * origin, echoed), {@code -Allow-Credentials} and {@code -Expose-Headers}. A request from an origin
 * the policy does not name passes untouched (the browser then refuses the page the response).
 * Stateless; thread-safe.
 */
final class Cors {

  private static final String ALLOW_ORIGIN = "Access-Control-Allow-Origin";

  private Cors() {}

  /**
   * Answers a preflight, or adds the CORS headers to the response to come.
   *
   * @return true when it answered (the caller stops)
   */
  static boolean apply(
      Request request, Response response, Callback callback, Optional<CorsPolicy> cors) {
    if (cors.isEmpty()) {
      return false;
    }
    String origin = request.getHeaders().get(HttpHeader.ORIGIN);
    if (origin == null || !cors.get().allows(origin)) {
      return false;
    }
    CorsPolicy policy = cors.get();
    HttpFields.Mutable headers = response.getHeaders();
    headers.put(ALLOW_ORIGIN, origin);
    headers.add(HttpHeader.VARY, "Origin");
    if (policy.allowCredentials()) {
      headers.put("Access-Control-Allow-Credentials", "true");
    }
    boolean preflight =
        HttpMethod.OPTIONS.is(request.getMethod())
            && request.getHeaders().contains("Access-Control-Request-Method");
    if (!preflight) {
      if (!policy.exposeHeaders().isEmpty()) {
        headers.put("Access-Control-Expose-Headers", policy.exposeHeaders());
      }
      return false;
    }
    putIfSet(headers, "Access-Control-Allow-Methods", policy.allowMethods());
    putIfSet(headers, "Access-Control-Allow-Headers", policy.allowHeaders());
    putIfSet(headers, "Access-Control-Max-Age", policy.maxAge());
    response.setStatus(HttpStatus.OK_200);
    headers.put(HttpHeader.CONTENT_LENGTH, 0);
    response.write(true, BufferUtil.EMPTY_BUFFER, callback);
    return true;
  }

  private static void putIfSet(HttpFields.Mutable headers, String name, String value) {
    if (!value.isEmpty()) {
      headers.put(name, value);
    }
  }
}
