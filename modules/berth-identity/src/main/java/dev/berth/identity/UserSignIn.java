package dev.berth.identity;

import dev.berth.api.Principal;
import dev.berth.http.HttpExchange;
import dev.berth.http.Route;
import dev.berth.http.RouteHandler;
import dev.berth.identity.internal.AuthorizationCodes;
import dev.berth.identity.internal.AuthorizeRequest;
import dev.berth.identity.internal.EntraError;
import dev.berth.identity.internal.FormBody;
import dev.berth.identity.internal.SignInCsrf;
import dev.berth.identity.internal.SignInPage;
import dev.berth.identity.internal.SignInThrottle;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.eclipse.jetty.http.HttpCookie;
import org.eclipse.jetty.server.Request;

/**
 * People's sign-in: the authorization-code flow with PKCE for the one public client, the portal.
 * {@code GET /{tenant}/oauth2/v2.0/authorize} shows the sign-in form, its {@code POST} checks the
 * password and redirects back with a one-time code, and {@link #redeem} serves the token endpoint's
 * {@code grant_type=authorization_code}. Thread-safe.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc6749#section-4.1">RFC 6749 §4.1</a>
 * @see <a href="https://www.rfc-editor.org/rfc/rfc7636">RFC 7636 (PKCE)</a>
 */
public final class UserSignIn {

  static final String WRONG_CREDENTIALS = "The user name or password is wrong.";

  private final IdentityConfig config;
  private final UserAccounts users;
  private final TokenIssuer issuer;
  private final AuthorizationCodes codes;
  private final SignInThrottle throttle;
  private final SignInCsrf csrf;

  public UserSignIn(IdentityConfig config, UserAccounts users, TokenIssuer issuer) {
    this.config = Objects.requireNonNull(config);
    this.users = Objects.requireNonNull(users);
    this.issuer = Objects.requireNonNull(issuer);
    this.codes = new AuthorizationCodes(config.clock());
    this.throttle = new SignInThrottle(config.clock());
    this.csrf = new SignInCsrf(config.clock());
  }

  /** The authorize routes (the token endpoint's part is {@link #redeem}). */
  List<Route<RouteHandler>> routes() {
    return List.of(
        Route.of("GET", "/{tenant}/oauth2/v2.0/authorize", this::showForm),
        Route.of("POST", "/{tenant}/oauth2/v2.0/authorize", this::signIn));
  }

  private void showForm(HttpExchange ex) {
    if (checked(ex).isPresent()) {
      SignInPage.form(ex, 200, action(ex), csrf.newToken(), null, null);
    }
  }

  private void signIn(HttpExchange ex) {
    Optional<AuthorizeRequest> request = checked(ex);
    if (request.isEmpty()) {
      return;
    }
    FormBody form;
    try {
      form = FormBody.parse(ex.body(TokenEndpoints.BODY_LIMIT));
    } catch (IOException | IllegalArgumentException e) {
      SignInPage.form(ex, 400, action(ex), csrf.newToken(), "The form could not be read.", null);
      return;
    }
    String userName = form.get("username").map(String::strip).orElse("");
    if (!csrf.accepts(cookie(ex, SignInCsrf.COOKIE), form.get("csrf").orElse(null))) {
      SignInPage.form(
          ex,
          400,
          action(ex),
          csrf.newToken(),
          "This sign-in form has expired. Please sign in again.",
          userName);
      return;
    }
    String address = ex.remoteAddress().map(a -> a.getAddress().getHostAddress()).orElse("unknown");
    Optional<Duration> locked = throttle.lockedFor(userName, address);
    if (locked.isPresent()) {
      long minutes = Math.max(1, (locked.get().toSeconds() + 59) / 60);
      SignInPage.form(
          ex,
          429,
          action(ex),
          csrf.newToken(),
          "Too many failed sign-ins for this user name from this address. Try again in "
              + minutes
              + (minutes == 1 ? " minute." : " minutes."),
          userName);
      return;
    }
    Optional<Principal> user = users.authenticate(userName, form.get("password").orElse(""));
    if (user.isEmpty()) {
      throttle.failed(userName, address);
      SignInPage.form(ex, 400, action(ex), csrf.newToken(), WRONG_CREDENTIALS, userName);
      return;
    }
    throttle.succeeded(userName, address);
    AuthorizeRequest r = request.get();
    String code =
        codes.issue(
            new AuthorizationCodes.Grant(
                r.clientId(),
                r.redirectUri(),
                r.codeChallenge(),
                user.get().objectId(),
                r.audience(),
                r.scope(),
                r.nonce()));
    Map<String, String> params = new LinkedHashMap<>();
    params.put("code", code);
    r.state().ifPresent(s -> params.put("state", s));
    ex.setHeader("Set-Cookie", SignInCsrf.clearCookie());
    ex.setHeader("Cache-Control", "no-store");
    ex.setHeader("Location", r.redirectUri() + "?" + query(params));
    ex.sendEmpty(302);
  }

  /**
   * The checked authorization request, or empty when an answer (error page or redirect) has been
   * sent.
   */
  private Optional<AuthorizeRequest> checked(HttpExchange ex) {
    String tenant = ex.pathVar("tenant");
    if (!TokenEndpoints.isOurTenant(config, tenant)) {
      SignInPage.error(ex, 400, "AADSTS90002: Tenant '" + tenant + "' not found.");
      return Optional.empty();
    }
    AuthorizeRequest.Checked checked;
    try {
      checked = AuthorizeRequest.check(ex, this::isManagementAudience);
    } catch (IllegalArgumentException e) {
      SignInPage.error(ex, 400, "The request's query is malformed.");
      return Optional.empty();
    }
    switch (checked) {
      case AuthorizeRequest.Checked.ErrorPage page -> {
        SignInPage.error(ex, 400, page.message());
        return Optional.empty();
      }
      case AuthorizeRequest.Checked.ErrorRedirect e -> {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("error", e.error());
        params.put("error_description", e.description());
        e.state().ifPresent(s -> params.put("state", s));
        ex.setHeader("Cache-Control", "no-store");
        ex.setHeader("Location", e.redirectUri() + "?" + query(params));
        ex.sendEmpty(302);
        return Optional.empty();
      }
      case AuthorizeRequest.Checked.Valid v -> {
        return Optional.of(v.request());
      }
    }
  }

  /**
   * {@code grant_type=authorization_code} at the token endpoint: the code is spent at its first
   * use, then every value it was issued for must match the request.
   */
  void redeem(HttpExchange ex, FormBody form) {
    Optional<String> clientId = form.get("client_id");
    if (clientId.isEmpty()) {
      fail(ex, EntraError.missingParameter("client_id"));
      return;
    }
    if (!clientId.get().equals(AuthorizeRequest.PORTAL_CLIENT)) {
      fail(ex, EntraError.unknownClient(clientId.get(), config.tenantId()));
      return;
    }
    for (String name : List.of("code", "redirect_uri", "code_verifier")) {
      if (form.get(name).isEmpty()) {
        fail(ex, EntraError.missingParameter(name));
        return;
      }
    }
    AuthorizationCodes.Grant grant;
    switch (codes.redeem(form.get("code").orElseThrow())) {
      case AuthorizationCodes.Redemption.Redeemed r -> grant = r.grant();
      case AuthorizationCodes.Redemption.AlreadyRedeemed r -> {
        fail(ex, EntraError.codeRedeemed());
        return;
      }
      case AuthorizationCodes.Redemption.Expired r -> {
        fail(ex, EntraError.codeExpired());
        return;
      }
      case AuthorizationCodes.Redemption.Unknown r -> {
        fail(ex, EntraError.unknownCode());
        return;
      }
    }
    if (!grant.clientId().equals(clientId.get())) {
      fail(ex, EntraError.unknownCode());
      return;
    }
    String redirect = form.get("redirect_uri").orElseThrow();
    if (!grant.redirectUri().equals(redirect)) {
      fail(ex, EntraError.redirectMismatch(redirect));
      return;
    }
    if (!verifierMatches(form.get("code_verifier").orElseThrow(), grant.codeChallenge())) {
      fail(ex, EntraError.verifierMismatch());
      return;
    }
    Optional<Principal> user = users.findByObjectId(grant.userObjectId());
    if (user.isEmpty()) {
      fail(ex, EntraError.userGone());
      return;
    }
    TokenIssuer.IssuedToken token =
        issuer.issueForUser(user.get(), grant.audience(), grant.clientId(), "user_impersonation");
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("token_type", "Bearer");
    body.put("scope", grant.scope());
    long expiresIn = token.expiresInSeconds(token.issuedAt());
    body.put("expires_in", expiresIn);
    body.put("ext_expires_in", expiresIn);
    body.put("access_token", token.accessToken());
    if (Set.of(grant.scope().split(" ")).contains("openid")) {
      body.put("id_token", issuer.issueIdToken(user.get(), grant.clientId(), grant.nonce()));
    }
    ex.setHeader("Cache-Control", "no-store, no-cache");
    ex.setHeader("Pragma", "no-cache");
    ex.sendJson(200, body);
  }

  /**
   * RFC 7636 §4.6: BASE64URL(SHA256(ASCII(verifier))) equals the challenge, compared in constant
   * time; the verifier is 43 to 128 unreserved characters (§4.1).
   */
  static boolean verifierMatches(String verifier, String challenge) {
    if (!verifier.matches("[A-Za-z0-9._~-]{43,128}")) {
      return false;
    }
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
      byte[] computed = Base64.getUrlEncoder().withoutPadding().encode(digest);
      return MessageDigest.isEqual(computed, challenge.getBytes(StandardCharsets.US_ASCII));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  private boolean isManagementAudience(String resource) {
    String wanted = IdentityConfig.normalize(resource);
    return config.managementAudiences().stream()
        .anyMatch(a -> IdentityConfig.normalize(a).equals(wanted));
  }

  /** The form posts back to the very URL it was shown for, query included. */
  private static String action(HttpExchange ex) {
    String query = ex.request().getHttpURI().getQuery();
    return ex.rawPath() + (query == null ? "" : "?" + query);
  }

  private static String cookie(HttpExchange ex, String name) {
    List<HttpCookie> cookies = Request.getCookies(ex.request());
    if (cookies == null) {
      return null;
    }
    return cookies.stream()
        .filter(c -> c.getName().equals(name))
        .map(HttpCookie::getValue)
        .findFirst()
        .orElse(null);
  }

  private static String query(Map<String, String> params) {
    StringBuilder q = new StringBuilder();
    params.forEach(
        (k, v) ->
            q.append(q.isEmpty() ? "" : "&")
                .append(k)
                .append('=')
                .append(URLEncoder.encode(v, StandardCharsets.UTF_8)));
    return q.toString();
  }

  private void fail(HttpExchange ex, EntraError error) {
    error.send(ex, config.clock());
  }
}
