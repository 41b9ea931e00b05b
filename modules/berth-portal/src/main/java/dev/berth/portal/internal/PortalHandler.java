package dev.berth.portal.internal;

import dev.berth.client.ArmCallException;
import dev.berth.client.ArmClient;
import dev.berth.http.HttpExchange;
import dev.berth.http.Router;
import dev.berth.portal.PortalSettings;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jetty.http.HttpCookie;
import org.eclipse.jetty.server.Request;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The portal's request chain, in order: static files; the sign-in pages, which need no session;
 * then the session cookie (none: off to sign-in), the CSRF token of every form post, and the page's
 * route, whose API errors are shown in the API's own words. Thread-safe.
 */
public final class PortalHandler {

  private static final Logger LOG = LoggerFactory.getLogger(PortalHandler.class);

  /**
   * The session cookie. {@code __Host-} makes browsers keep it only if it is Secure, host-only and
   * for path {@code /} (RFC 6265bis §4.1.3.2), so no other host or path can plant or read it.
   */
  public static final String COOKIE = "__Host-berth-session";

  /** The form field (or, for htmx, the header) that carries a session's CSRF token. */
  public static final String CSRF_FIELD = "_csrf";

  public static final String CSRF_HEADER = "X-CSRF-Token";

  private final PortalSettings settings;
  private final Sessions sessions;
  private final Pages pages;
  private final StaticAssets assets = new StaticAssets();
  private final SignIn signIn;
  private final Router<PageHandler> routes;

  public PortalHandler(PortalSettings settings) {
    this.settings = settings;
    this.sessions = new Sessions(settings.clock());
    this.pages = new Pages();
    this.signIn = new SignIn(settings, sessions, pages);
    this.routes = new Router<>(PortalRoutes.all(pages, settings));
  }

  public Sessions sessions() {
    return sessions;
  }

  /** Serves a request whose path is under {@code /portal}. */
  public void handle(HttpExchange exchange) throws Exception {
    List<String> segments = exchange.segments();
    if (segments.size() == 3
        && segments.get(1).equals("static")
        && exchange.method().equals("GET")
        && assets.serve(exchange, segments.get(2))) {
      return;
    }
    if (signIn.handles(exchange)) {
      return;
    }
    Optional<PortalSession> session = sessionOf(exchange);
    if (session.isEmpty()) {
      signIn.required(exchange);
      return;
    }
    Form form = Form.EMPTY;
    if (!exchange.method().equals("GET") && !exchange.method().equals("HEAD")) {
      form = Form.read(exchange);
      if (!csrfMatches(session.get(), exchange, form)) {
        error(
            exchange,
            session.get(),
            403,
            "CsrfTokenMismatch",
            "This form is stale or did not come from the portal. Reload the page and try again.");
        return;
      }
    }
    if (routes.match(exchange.method(), segments)
        instanceof Router.Match.Found<PageHandler> found) {
      ArmClient arm =
          ArmClient.create(
              settings.http(), settings.managementEndpoint(), session.get()::accessToken, l -> {});
      PortalRequest request = new PortalRequest(exchange, session.get(), arm, form);
      PageHandler page = Router.bind(found, exchange);
      try {
        page.handle(request);
      } catch (ArmCallException e) {
        // The API's refusal, in its own words: a Reader's 403 stays a 403 with its code.
        if (!exchange.isSent()) {
          error(exchange, session.get(), e.status(), e.code(), e.getMessage());
        }
      }
      return;
    }
    error(exchange, session.get(), 404, "NotFound", "The portal has no page at this address.");
  }

  private Optional<PortalSession> sessionOf(HttpExchange exchange) {
    List<HttpCookie> cookies = Request.getCookies(exchange.request());
    return cookies.stream()
        .filter(c -> c.getName().equals(COOKIE))
        .findFirst()
        .flatMap(c -> sessions.find(c.getValue()));
  }

  private static boolean csrfMatches(PortalSession session, HttpExchange exchange, Form form) {
    String sent = form.get(CSRF_FIELD).or(() -> exchange.header(CSRF_HEADER)).orElse("");
    // Constant time: the comparison leaks nothing of the token, byte by byte.
    return MessageDigest.isEqual(
        sent.getBytes(StandardCharsets.UTF_8),
        session.csrfToken().getBytes(StandardCharsets.UTF_8));
  }

  /** Answers with the portal's error page: the status, the code and the message, as given. */
  void error(
      HttpExchange exchange, PortalSession session, int status, String code, String message) {
    LOG.debug("portal {} {}: {} {}", exchange.method(), exchange.rawPath(), status, code);
    Chrome chrome =
        session == null
            ? Chrome.anonymous("Error")
            : Chrome.of("Error", session, List.of(Link.to("Home", "/portal")));
    pages.send(
        exchange,
        status,
        "error.jte",
        Map.of("chrome", chrome, "status", status, "code", code, "message", message));
  }
}
