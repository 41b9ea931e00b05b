package dev.berth.portal.internal;

import dev.berth.http.HttpExchange;
import dev.berth.http.Route;
import dev.berth.portal.PortalSettings;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Signs people in and out: the authorization-code flow with PKCE (RFC 7636) against Berth's token
 * service, as the public client {@link PortalSettings#CLIENT_ID}. {@code GET /portal/signin} sends
 * the browser to the authorize endpoint; {@code GET /portal/signin/callback} checks the state
 * against the browser's sign-in cookie, redeems the code and starts a session; {@code POST
 * /portal/signout} (a session route, so CSRF-checked) ends it. Thread-safe.
 */
final class SignIn {

  private static final Logger LOG = LoggerFactory.getLogger(SignIn.class);

  static final String CALLBACK = "/portal/signin/callback";
  static final String SIGNED_OUT = "/portal/signedout";

  /** What a value of ours looks like (base64url of 256 bits): anything else is not ours. */
  private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9_-]{43}");

  private final PortalSettings settings;
  private final Sessions sessions;
  private final Pages pages;
  private final PendingSignIns pending;
  private final CodeExchange tokens;

  SignIn(PortalSettings settings, Sessions sessions, Pages pages) {
    this.settings = settings;
    this.sessions = sessions;
    this.pages = pages;
    this.pending = new PendingSignIns(settings.clock());
    this.tokens = new CodeExchange(settings);
  }

  /** Serves the pages that need no session (sign-in, its callback, signed out); false otherwise. */
  boolean handles(HttpExchange exchange) throws InterruptedException {
    if (!exchange.method().equals("GET")) {
      return false;
    }
    switch (exchange.rawPath()) {
      case "/portal/signin" -> begin(exchange);
      case CALLBACK -> callback(exchange);
      case SIGNED_OUT ->
          pages.send(
              exchange, 200, "signedout.jte", Map.of("chrome", Chrome.anonymous("Signed out")));
      default -> {
        return false;
      }
    }
    return true;
  }

  /** The routes that need a session: sign-out. */
  List<Route<PageHandler>> routes() {
    return List.of(Route.of("POST", "/portal/signout", this::signOut));
  }

  private void begin(HttpExchange exchange) {
    // The token service takes only a callback on its own origin, and the cookies belong to one
    // origin: a portal opened under another name (localhost for 127.0.0.1) signs in on Berth's.
    String authority = settings.authority().toString().replaceAll("/+$", "");
    if (!sameOrigin(URI.create(exchange.baseUrl()), settings.authority())) {
      String query = exchange.request().getHttpURI().getQuery();
      Pages.securityHeaders(exchange);
      exchange.setHeader(
          "Location", authority + "/portal/signin" + (query == null ? "" : "?" + query));
      exchange.sendEmpty(302);
      return;
    }
    // One sign-in cookie per browser: a second tab signing in at once keeps the first one working.
    String browser =
        Cookies.read(exchange, Cookies.SIGN_IN)
            .filter(v -> TOKEN.matcher(v).matches())
            .orElseGet(Sessions::randomToken);
    String returnTo = exchange.query("returnTo").flatMap(ReturnTo::local).orElse(ReturnTo.HOME);
    Optional<PendingSignIns.Pending> started = pending.start(browser, returnTo);
    if (started.isEmpty()) {
      error(exchange, 503, "TooManySignIns", "Too many sign-ins are under way. Try again soon.");
      return;
    }
    PendingSignIns.Pending p = started.get();
    Map<String, String> query = new LinkedHashMap<>();
    query.put("client_id", PortalSettings.CLIENT_ID);
    query.put("response_type", "code");
    query.put("redirect_uri", redirectUri(exchange));
    // The management endpoint keeps its trailing slash, as az sends it (docs/identity.md).
    query.put("scope", settings.managementEndpoint() + "/.default openid profile");
    query.put("state", p.state());
    query.put("nonce", p.nonce());
    query.put("code_challenge", p.pkce().challenge());
    query.put("code_challenge_method", "S256");
    Pages.securityHeaders(exchange);
    Cookies.startSignIn(exchange, browser, PendingSignIns.LIFE);
    exchange.setHeader("Location", tokens.authorizeEndpoint() + "?" + CodeExchange.encode(query));
    exchange.sendEmpty(302);
  }

  private void callback(HttpExchange exchange) throws InterruptedException {
    Optional<PendingSignIns.Pending> taken =
        pending.take(
            exchange.query("state").orElse(""),
            Cookies.read(exchange, Cookies.SIGN_IN).orElse(null));
    if (taken.isEmpty()) {
      error(
          exchange,
          400,
          "SignInStateMismatch",
          "This sign-in was not started in this browser, was used already, or took longer than "
              + PendingSignIns.LIFE.toMinutes()
              + " minutes. Sign in again.");
      return;
    }
    PendingSignIns.Pending p = taken.get();
    Optional<String> refused = exchange.query("error");
    if (refused.isPresent()) {
      error(exchange, 400, refused.get(), exchange.query("error_description").orElse(""));
      return;
    }
    Optional<String> code = exchange.query("code");
    if (code.isEmpty()) {
      error(exchange, 400, "invalid_request", "The token service sent no authorization code.");
      return;
    }
    CodeExchange.SignedIn signedIn;
    try {
      signedIn = tokens.redeem(code.get(), redirectUri(exchange), p.pkce().verifier());
    } catch (CodeExchange.Refused e) {
      error(exchange, 400, e.error(), e.getMessage());
      return;
    } catch (IOException e) {
      LOG.warn("portal sign-in: the token service did not answer: {}", e.toString());
      error(exchange, 502, "TokenServiceUnreachable", "The token service did not answer.");
      return;
    }
    if (!signedIn.nonce().isEmpty() && !signedIn.nonce().equals(p.nonce())) {
      error(exchange, 400, "invalid_nonce", "The ID token is not for this sign-in.");
      return;
    }
    // A new session id at every sign-in (no fixation); a session the browser still held ends.
    Cookies.read(exchange, Cookies.SESSION).ifPresent(sessions::end);
    PortalSession session =
        sessions.start(
            signedIn.accessToken(), signedIn.user(), signedIn.objectId(), signedIn.expiresAt());
    LOG.info("portal: {} signed in", signedIn.objectId());
    Pages.securityHeaders(exchange);
    Cookies.startSession(exchange, session.id());
    Cookies.expire(exchange, Cookies.SIGN_IN);
    exchange.setHeader("Location", p.returnTo());
    exchange.sendEmpty(303);
  }

  private void signOut(PortalRequest request) {
    sessions.end(request.session().id());
    HttpExchange exchange = request.exchange();
    Pages.securityHeaders(exchange);
    Cookies.expire(exchange, Cookies.SESSION);
    exchange.setHeader("Location", SIGNED_OUT);
    exchange.sendEmpty(303);
  }

  /** Whether two URLs have one origin: scheme, host and port, a default port spelled or not. */
  static boolean sameOrigin(URI a, URI b) {
    return a.getScheme().equalsIgnoreCase(b.getScheme())
        && String.valueOf(a.getHost()).equalsIgnoreCase(String.valueOf(b.getHost()))
        && port(a) == port(b);
  }

  private static int port(URI u) {
    return u.getPort() >= 0 ? u.getPort() : "https".equalsIgnoreCase(u.getScheme()) ? 443 : 80;
  }

  /** The callback on the origin the browser uses, as the token service requires it. */
  private static String redirectUri(HttpExchange exchange) {
    return exchange.baseUrl() + CALLBACK;
  }

  /** Answers a request that has no live session: a page goes to sign-in, then comes back. */
  void required(HttpExchange exchange) {
    // A cookie that names no live session (ended, expired, forged) is of no further use.
    if (Cookies.read(exchange, Cookies.SESSION).isPresent()) {
      Cookies.expire(exchange, Cookies.SESSION);
    }
    if (exchange.method().equals("GET") || exchange.method().equals("HEAD")) {
      String query = exchange.request().getHttpURI().getQuery();
      String back = query == null ? exchange.rawPath() : exchange.rawPath() + "?" + query;
      Pages.securityHeaders(exchange);
      exchange.setHeader(
          "Location", "/portal/signin?returnTo=" + URLEncoder.encode(back, StandardCharsets.UTF_8));
      exchange.sendEmpty(303);
      return;
    }
    error(
        exchange,
        401,
        "SessionRequired",
        "You are not signed in, or your session has ended. Sign in again.");
  }

  private void error(HttpExchange exchange, int status, String code, String message) {
    pages.send(
        exchange,
        status,
        "error.jte",
        Map.of(
            "chrome",
            Chrome.anonymous(status == 401 ? "Signed out" : "Sign-in failed"),
            "status",
            status,
            "code",
            code,
            "message",
            message));
  }
}
