package dev.berth.ingress.internal;

import dev.berth.ingress.Backend;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import java.util.List;

/**
 * Sticky sessions ({@code stickySessions.affinity: sticky}): the first response sets a cookie
 * naming the replica that answered; later requests carrying it go to that replica while it is among
 * the route's ready replicas, and to another (with a new cookie) once it is gone. The cookie holds
 * a hash of the replica's address, not the address. Stateless; thread-safe.
 *
 * @see <a href="https://learn.microsoft.com/azure/container-apps/sticky-sessions">Session affinity
 *     in Azure Container Apps</a>
 */
final class Affinity {

  /** Container Apps documents no cookie name; Berth's own, for any app (cookies are per host). */
  static final String COOKIE = "berth-affinity";

  private Affinity() {}

  /**
   * The replica the request's cookie names, when it is among {@code backends}; else {@code
   * fallback}, and {@code answerHeaders} get the cookie for it.
   */
  static Backend choose(
      HttpHeaders request,
      List<Backend> backends,
      Backend fallback,
      boolean secure,
      HttpHeaders answerHeaders) {
    int wanted = cookieValue(request);
    if (wanted != 0) {
      for (Backend b : backends) {
        if (key(b) == wanted) {
          return b;
        }
      }
    }
    answerHeaders.add(
        HttpHeaderNames.SET_COOKIE,
        COOKIE
            + "="
            + Integer.toHexString(key(fallback))
            + "; Path=/"
            + (secure ? "; Secure" : "")
            + "; HttpOnly; SameSite=Lax");
    return fallback;
  }

  /** A replica's cookie value: never 0, which reads as "no cookie". */
  static int key(Backend backend) {
    int h = backend.host().hashCode() * 31 + backend.port();
    return h == 0 ? 1 : h;
  }

  /** The cookie's value as a number, or 0 when absent or unreadable. */
  private static int cookieValue(HttpHeaders request) {
    for (String header : request.getAll(HttpHeaderNames.COOKIE)) {
      int at = header.indexOf(COOKIE + "=");
      while (at >= 0) {
        boolean starts = at == 0 || header.charAt(at - 1) == ' ' || header.charAt(at - 1) == ';';
        if (starts) {
          int from = at + COOKIE.length() + 1;
          int to = header.indexOf(';', from);
          try {
            return Integer.parseUnsignedInt(
                header.substring(from, to < 0 ? header.length() : to).strip(), 16);
          } catch (NumberFormatException e) {
            return 0;
          }
        }
        at = header.indexOf(COOKIE + "=", at + 1);
      }
    }
    return 0;
  }
}
