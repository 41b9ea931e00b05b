package dev.berth.ingress.internal;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.BufferUtil;
import org.eclipse.jetty.util.Callback;

/**
 * The answers the ingress gives itself, not from an app: short plain-text bodies and redirects.
 * Stateless; thread-safe.
 */
final class Replies {

  private Replies() {}

  /** {@code status} with {@code body} as UTF-8 plain text. */
  static boolean text(Response response, Callback callback, int status, String body) {
    response.setStatus(status);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain; charset=utf-8");
    // The body may quote a host name the client sent: never let a browser read it as HTML.
    response.getHeaders().put("X-Content-Type-Options", "nosniff");
    response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
    response.write(true, ByteBuffer.wrap(body.getBytes(StandardCharsets.UTF_8)), callback);
    return true;
  }

  /** A permanent redirect to {@code location} (301 for GET and HEAD, 308 otherwise). */
  static boolean redirect(Request request, Response response, Callback callback, String location) {
    response.setStatus(HostRouter.redirectStatus(request));
    response.getHeaders().put(HttpHeader.LOCATION, location);
    response.getHeaders().put(HttpHeader.CONTENT_LENGTH, 0);
    response.write(true, BufferUtil.EMPTY_BUFFER, callback);
    return true;
  }
}
