package dev.berth.identity.internal;

import dev.berth.http.HttpExchange;
import java.nio.charset.StandardCharsets;

/**
 * The token service's server-rendered pages: the sign-in form of the authorization-code flow and
 * the error page shown when the request cannot be sent back to its client. Plain HTML without
 * scripts or styles of its own, every echoed value escaped, and the portal's security headers
 * (strict CSP, no framing, no caching). Stateless.
 */
public final class SignInPage {

  private SignInPage() {}

  /**
   * The sign-in form, posting to {@code action} (the authorize URL with its query).
   *
   * @param message an error to show above the form, or null
   * @param userName the user name to fill in again, or null
   */
  public static void form(
      HttpExchange exchange,
      int status,
      String action,
      String csrfToken,
      String message,
      String userName) {
    StringBuilder html = start("Sign in · Berth", "Sign in to Berth");
    if (message != null) {
      html.append("<p id=\"signin-error\" role=\"alert\"><strong>")
          .append(escape(message))
          .append("</strong></p>\n");
    }
    String describedBy = message != null ? " aria-describedby=\"signin-error\"" : "";
    html.append("<form method=\"post\" action=\"")
        .append(escape(action))
        .append("\">\n<input type=\"hidden\" name=\"csrf\" value=\"")
        .append(escape(csrfToken))
        .append("\">\n<p><label for=\"username\">User name</label><br>\n")
        .append("<input id=\"username\" name=\"username\" autocomplete=\"username\"")
        .append(" autocapitalize=\"none\" spellcheck=\"false\" required autofocus")
        .append(describedBy)
        .append(userName != null ? " value=\"" + escape(userName) + "\"" : "")
        .append("></p>\n<p><label for=\"password\">Password</label><br>\n")
        .append("<input id=\"password\" name=\"password\" type=\"password\"")
        .append(" autocomplete=\"current-password\" required")
        .append(describedBy)
        .append("></p>\n<p><button type=\"submit\">Sign in</button></p>\n</form>\n");
    exchange.setHeader("Set-Cookie", SignInCsrf.cookie(csrfToken));
    send(exchange, status, html);
  }

  /** The page for a request that names an unknown client or a redirect URI it may not use. */
  public static void error(HttpExchange exchange, int status, String message) {
    StringBuilder html = start("Sign-in error · Berth", "Sign-in failed");
    html.append("<p role=\"alert\">").append(escape(message)).append("</p>\n");
    send(exchange, status, html);
  }

  private static StringBuilder start(String title, String heading) {
    return new StringBuilder(2048)
        .append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
        .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
        .append("<title>")
        .append(escape(title))
        .append("</title>\n</head>\n<body>\n<main>\n<h1>")
        .append(escape(heading))
        .append("</h1>\n");
  }

  private static void send(HttpExchange exchange, int status, StringBuilder html) {
    html.append("</main>\n</body>\n</html>\n");
    securityHeaders(exchange);
    exchange.send(
        status, "text/html; charset=utf-8", html.toString().getBytes(StandardCharsets.UTF_8));
  }

  /** The headers the portal's pages carry (its {@code Pages.securityHeaders}), kept equal. */
  static void securityHeaders(HttpExchange exchange) {
    exchange.setHeader(
        "Content-Security-Policy",
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
            + " frame-ancestors 'none'; form-action 'self'; base-uri 'none'");
    exchange.setHeader("X-Frame-Options", "DENY");
    exchange.setHeader("X-Content-Type-Options", "nosniff");
    exchange.setHeader("Referrer-Policy", "same-origin");
    exchange.setHeader("Cache-Control", "no-store");
  }

  /** Escapes text for HTML element content and double- or single-quoted attributes. */
  static String escape(String s) {
    StringBuilder out = new StringBuilder(s.length() + 16);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '&' -> out.append("&amp;");
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&#39;");
        default -> out.append(c);
      }
    }
    return out.toString();
  }
}
