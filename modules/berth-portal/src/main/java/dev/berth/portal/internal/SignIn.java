package dev.berth.portal.internal;

import dev.berth.http.HttpExchange;
import dev.berth.portal.PortalSettings;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * Signs people in and out: the authorization-code flow with PKCE against Berth's token service, as
 * the public client {@link PortalSettings#CLIENT_ID}. SKELETON: the flow itself is the sign-in
 * stream's work (issue 14, point 1); today every sign-in page answers 501. Thread-safe.
 */
final class SignIn {

  private final Pages pages;

  SignIn(PortalSettings settings, Sessions sessions, Pages pages) {
    this.pages = pages;
  }

  /**
   * Serves the sign-in routes ({@code /portal/signin…}, {@code /portal/signout}); false otherwise.
   */
  boolean handles(HttpExchange exchange) {
    List<String> s = exchange.segments();
    if (s.size() < 2 || !(s.get(1).equals("signin") || s.get(1).equals("signout"))) {
      return false;
    }
    pages.send(
        exchange,
        501,
        "error.jte",
        Map.of(
            "chrome",
            Chrome.anonymous("Sign in"),
            "status",
            501,
            "code",
            "NotImplemented",
            "message",
            "Sign-in is not built yet."));
    return true;
  }

  /** Answers a request that has no live session: a page goes to sign-in, then comes back. */
  void required(HttpExchange exchange) {
    if (exchange.method().equals("GET") || exchange.method().equals("HEAD")) {
      String query = exchange.request().getHttpURI().getQuery();
      String back = query == null ? exchange.rawPath() : exchange.rawPath() + "?" + query;
      Pages.securityHeaders(exchange);
      exchange.setHeader(
          "Location", "/portal/signin?returnTo=" + URLEncoder.encode(back, StandardCharsets.UTF_8));
      exchange.sendEmpty(303);
      return;
    }
    pages.send(
        exchange,
        401,
        "error.jte",
        Map.of(
            "chrome",
            Chrome.anonymous("Signed out"),
            "status",
            401,
            "code",
            "SessionRequired",
            "message",
            "You are not signed in, or your session has ended. Sign in again."));
  }
}
