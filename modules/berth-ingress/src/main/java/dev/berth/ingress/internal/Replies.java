package dev.berth.ingress.internal;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * The answers the ingress gives itself, not from an app: short plain-text bodies and redirects.
 * Stateless; thread-safe.
 */
final class Replies {

  private Replies() {}

  /** {@code status} with {@code body} as UTF-8 plain text. */
  static FullHttpResponse text(HttpResponseStatus status, String body) {
    FullHttpResponse response =
        new DefaultFullHttpResponse(
            HttpVersion.HTTP_1_1, status, Unpooled.copiedBuffer(body, StandardCharsets.UTF_8));
    response.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8");
    // The body may quote a host name the client sent: never let a browser read it as HTML.
    response.headers().set("X-Content-Type-Options", "nosniff");
    response.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-store");
    return response;
  }

  /** {@code status} with {@code body}, and {@code Retry-After: 1}: try again soon. */
  static FullHttpResponse retryLater(String body) {
    FullHttpResponse response = text(HttpResponseStatus.SERVICE_UNAVAILABLE, body);
    response.headers().set(HttpHeaderNames.RETRY_AFTER, "1");
    return response;
  }

  /**
   * A permanent redirect to {@code location}: 301 for GET and HEAD, as browsers expect; 308 else.
   */
  static FullHttpResponse redirect(HttpMethod method, String location) {
    boolean read = HttpMethod.GET.equals(method) || HttpMethod.HEAD.equals(method);
    FullHttpResponse response =
        new DefaultFullHttpResponse(
            HttpVersion.HTTP_1_1,
            read ? HttpResponseStatus.MOVED_PERMANENTLY : HttpResponseStatus.PERMANENT_REDIRECT);
    response.headers().set(HttpHeaderNames.LOCATION, location);
    return response;
  }

  /**
   * The answer to a request the codec could not read: its line or headers too long, or not HTTP.
   */
  static FullHttpResponse refused(Throwable cause) {
    if (cause instanceof TooLongHttpLineException) {
      return text(HttpResponseStatus.REQUEST_URI_TOO_LONG, "The request line is too long.\n");
    }
    if (cause instanceof TooLongHttpHeaderException || cause instanceof TooLongFrameException) {
      return text(
          HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE,
          "The request's headers are too large.\n");
    }
    return badRequest(cause.getMessage());
  }

  /** 400: the request cannot be read one way only, or at all. */
  static FullHttpResponse badRequest(String why) {
    return text(HttpResponseStatus.BAD_REQUEST, "Bad request: " + why + "\n");
  }

  /**
   * 405 to {@code CONNECT}: the ingress opens no tunnels (nor does Container Apps' edge), so a
   * replica that happens to be a forward proxy is not one for the world.
   */
  static FullHttpResponse noTunnel() {
    FullHttpResponse response =
        text(HttpResponseStatus.METHOD_NOT_ALLOWED, "The ingress does not serve CONNECT.\n");
    response.headers().set(HttpHeaderNames.ALLOW, "GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS");
    return response;
  }

  /** 502: {@code app}'s replica failed before answering. */
  static FullHttpResponse badGateway(String app, Throwable cause) {
    return text(
        HttpResponseStatus.BAD_GATEWAY,
        "Container app "
            + app
            + ": its replica did not answer ("
            + cause.getClass().getSimpleName()
            + ").\n");
  }

  /** 504: {@code app} did not answer within the request timeout. */
  static FullHttpResponse gatewayTimeout(String app, Duration timeout) {
    return text(
        HttpResponseStatus.GATEWAY_TIMEOUT,
        "Container app " + app + " did not answer within " + timeout.toSeconds() + " s.\n");
  }

  /** An empty answer with {@code status}. */
  static FullHttpResponse empty(HttpResponseStatus status) {
    return new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status);
  }
}
