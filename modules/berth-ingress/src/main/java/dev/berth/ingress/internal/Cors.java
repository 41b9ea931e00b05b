package dev.berth.ingress.internal;

import dev.berth.ingress.CorsPolicy;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.Optional;

/**
 * An app's {@code corsPolicy} at the edge, as Container Apps' (Envoy's) CORS filter applies it: a
 * preflight ({@code OPTIONS} with {@code Origin} and {@code Access-Control-Request-Method}) from an
 * allowed origin is answered by the ingress, 200 with the policy's headers; any other request from
 * an allowed origin goes to the app and its response gets {@code Access-Control-Allow-Origin} (the
 * origin, echoed), {@code -Allow-Credentials} and {@code -Expose-Headers}. A request from an origin
 * the policy does not name passes untouched (the browser then refuses the response). Stateless;
 * thread-safe.
 */
final class Cors {

  private Cors() {}

  /**
   * Adds to {@code x}'s answer headers what the answer to {@code request} must carry.
   *
   * @return the answer to a preflight, which the ingress gives itself; null for any other request
   */
  static FullHttpResponse apply(HttpRequest request, Optional<CorsPolicy> cors, Exchange x) {
    if (cors.isEmpty()) {
      return null;
    }
    String origin = request.headers().get(HttpHeaderNames.ORIGIN);
    if (origin == null || !cors.get().allows(origin)) {
      return null;
    }
    CorsPolicy policy = cors.get();
    HttpHeaders answerHeaders = x.answerHeaders();
    answerHeaders.set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN, origin);
    answerHeaders.add(HttpHeaderNames.VARY, "Origin");
    if (policy.allowCredentials()) {
      answerHeaders.set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_CREDENTIALS, "true");
    }
    boolean preflight =
        HttpMethod.OPTIONS.equals(request.method())
            && request.headers().contains(HttpHeaderNames.ACCESS_CONTROL_REQUEST_METHOD);
    if (!preflight) {
      setIfAny(
          answerHeaders, HttpHeaderNames.ACCESS_CONTROL_EXPOSE_HEADERS, policy.exposeHeaders());
      return null;
    }
    FullHttpResponse answer = Replies.empty(HttpResponseStatus.OK);
    HttpHeaders headers = answer.headers();
    setIfAny(headers, HttpHeaderNames.ACCESS_CONTROL_ALLOW_METHODS, policy.allowMethods());
    setIfAny(headers, HttpHeaderNames.ACCESS_CONTROL_ALLOW_HEADERS, policy.allowHeaders());
    setIfAny(headers, HttpHeaderNames.ACCESS_CONTROL_MAX_AGE, policy.maxAge());
    return answer;
  }

  private static void setIfAny(HttpHeaders headers, CharSequence name, String value) {
    if (!value.isEmpty()) {
      headers.set(name, value);
    }
  }
}
