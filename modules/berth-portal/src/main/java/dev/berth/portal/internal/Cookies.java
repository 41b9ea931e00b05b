package dev.berth.portal.internal;

import dev.berth.http.HttpExchange;
import java.time.Duration;
import java.util.Optional;
import org.eclipse.jetty.http.HttpCookie;
import org.eclipse.jetty.server.Request;

/**
 * The portal's two cookies and their attributes. Both are {@code __Host-} cookies: browsers keep
 * them only if Secure, host-only and for path {@code /} (RFC 6265bis §4.1.3.2), so no other host or
 * path can plant or read them; HttpOnly keeps them from scripts; SameSite=Lax keeps them off
 * cross-site posts. Stateless.
 */
final class Cookies {

  /** The session: its value is the session id. */
  static final String SESSION = "__Host-berth-session";

  /**
   * A sign-in under way: binds the OAuth state to the browser that started it. Not the token
   * service's {@code __Host-berth-signin} (its sign-in form's login-CSRF cookie), which the same
   * origin also sets.
   */
  static final String SIGN_IN = "__Host-berth-portal-signin";

  private static final String ATTRIBUTES = "; Path=/; Secure; HttpOnly; SameSite=Lax";

  private Cookies() {}

  /** The value of cookie {@code name} the request carries, if any. */
  static Optional<String> read(HttpExchange exchange, String name) {
    return Request.getCookies(exchange.request()).stream()
        .filter(c -> c.getName().equals(name))
        .map(HttpCookie::getValue)
        .filter(v -> !v.isEmpty())
        .findFirst();
  }

  /** Sets the session cookie: no Max-Age, so the browser forgets it when it closes. */
  static void startSession(HttpExchange exchange, String sessionId) {
    exchange.addHeader("Set-Cookie", SESSION + "=" + sessionId + ATTRIBUTES);
  }

  /** Sets the sign-in cookie for as long as a sign-in may take. */
  static void startSignIn(HttpExchange exchange, String value, Duration life) {
    exchange.addHeader(
        "Set-Cookie", SIGN_IN + "=" + value + ATTRIBUTES + "; Max-Age=" + life.toSeconds());
  }

  /** Tells the browser to drop cookie {@code name}. */
  static void expire(HttpExchange exchange, String name) {
    exchange.addHeader("Set-Cookie", name + "=" + ATTRIBUTES + "; Max-Age=0");
  }
}
