package dev.berth.portal.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.http.HttpExchange;
import dev.berth.http.MalformedRequestException;
import dev.berth.http.UrlEncoding;
import dev.berth.portal.PortalSettings;
import dev.berth.testing.LoopbackServer;
import dev.berth.testing.ManualClock;
import dev.berth.testing.TestCa;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The portal's sign-in over real HTTPS on loopback, against a fake token endpoint that checks the
 * PKCE verifier: stands on its own, without Berth's token service (PortalSignInIT runs the real
 * one).
 */
class SignInTest {

  private static final String TENANT = "tenant-1";

  private final ManualClock clock = new ManualClock(Instant.parse("2026-12-06T12:00:00Z"));
  private final FakeTokenService tokens = new FakeTokenService();
  private final AtomicReference<PortalHandler> portal = new AtomicReference<>();
  private LoopbackServer server;
  private HttpClient client;

  @BeforeEach
  void start() {
    server =
        LoopbackServer.https(
            (request, response, callback) -> {
              HttpExchange exchange = new HttpExchange(request, response, callback);
              if (exchange.rawPath().equals("/" + TENANT + "/oauth2/v2.0/token")) {
                tokens.handle(exchange);
              } else {
                portal.get().handle(exchange);
              }
              return true;
            });
    client =
        HttpClient.newBuilder()
            .sslContext(TestCa.get().clientContext())
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
    portal.set(
        new PortalHandler(
            new PortalSettings(
                URI.create(server.uri() + "/"), server.uri(), TENANT, client, clock, 443)));
  }

  @AfterEach
  void stop() {
    server.close();
  }

  /** What {@code GET /portal/signin} sent: the authorize query and the sign-in cookie. */
  record Began(Map<String, String> authorize, String cookie, List<String> setCookies) {
    String state() {
      return authorize.get("state");
    }
  }

  private HttpResponse<String> get(String path, String cookies) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(server.uri() + path)).timeout(Duration.ofSeconds(10));
    if (cookies != null) {
      b.header("Cookie", cookies);
    }
    return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> post(String path, String cookies, String form) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(server.uri() + path))
            .timeout(Duration.ofSeconds(10))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(form));
    if (cookies != null) {
      b.header("Cookie", cookies);
    }
    return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private Began begin(String returnTo) throws Exception {
    HttpResponse<String> r =
        get(
            "/portal/signin"
                + (returnTo == null
                    ? ""
                    : "?returnTo=" + URLEncoder.encode(returnTo, StandardCharsets.UTF_8)),
            null);
    assertThat(r.statusCode()).isEqualTo(302);
    URI location = URI.create(r.headers().firstValue("Location").orElseThrow());
    assertThat(location.getScheme() + "://" + location.getAuthority() + location.getPath())
        .isEqualTo(server.uri() + "/" + TENANT + "/oauth2/v2.0/authorize");
    Map<String, String> query = new HashMap<>();
    UrlEncoding.parse(location.getRawQuery(), MalformedRequestException.Part.QUERY)
        .forEach((k, v) -> query.put(k, v.get(0)));
    List<String> set = r.headers().allValues("Set-Cookie");
    return new Began(query, cookie(set, Cookies.SIGN_IN).orElseThrow(), set);
  }

  /** What the token service's authorize endpoint does for a person who signed in. */
  private String codeFor(Began began) {
    return tokens.issue(
        new FakeTokenService.Issued(
            began.authorize().get("code_challenge"),
            began.authorize().get("redirect_uri"),
            began.authorize().get("nonce"),
            "oid-ann",
            clock.instant().plus(Duration.ofHours(8))));
  }

  private HttpResponse<String> callback(String query, String signInCookie) throws Exception {
    return get(
        "/portal/signin/callback?" + query,
        signInCookie == null ? null : Cookies.SIGN_IN + "=" + signInCookie);
  }

  private static String q(String name, String value) {
    return name + "=" + URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  static Optional<String> cookie(List<String> setCookies, String name) {
    return setCookies.stream()
        .filter(c -> c.startsWith(name + "="))
        .map(c -> c.substring(name.length() + 1, c.indexOf(';')))
        .findFirst();
  }

  private HttpResponse<String> signIn(String returnTo) throws Exception {
    Began began = begin(returnTo);
    return callback(q("code", codeFor(began)) + "&" + q("state", began.state()), began.cookie());
  }

  @Test
  void theAuthorizeRequestCarriesPkceStateAndNonce() throws Exception {
    Began began = begin(null);

    assertThat(began.authorize())
        .containsEntry("client_id", "berth-portal")
        .containsEntry("response_type", "code")
        .containsEntry("redirect_uri", server.uri() + "/portal/signin/callback")
        .containsEntry("scope", server.uri() + "//.default openid profile")
        .containsEntry("code_challenge_method", "S256");
    assertThat(began.authorize().get("code_challenge")).matches("[A-Za-z0-9_-]{43}");
    assertThat(began.state()).matches("[A-Za-z0-9_-]{43}");
    assertThat(began.authorize().get("nonce")).matches("[A-Za-z0-9_-]{43}");
    assertThat(began.setCookies())
        .anySatisfy(
            c ->
                assertThat(c)
                    .startsWith("__Host-berth-portal-signin=")
                    .contains(
                        "; Path=/", "; Secure", "; HttpOnly", "; SameSite=Lax", "Max-Age=600"));
  }

  @Test
  void aPortalOpenedUnderAnotherNameSignsInOnBerthsOwnOrigin() throws Exception {
    HttpResponse<String> r =
        client.send(
            HttpRequest.newBuilder(
                    URI.create(
                        "https://localhost:" + server.port() + "/portal/signin?returnTo=%2Fportal"))
                .build(),
            HttpResponse.BodyHandlers.ofString());

    assertThat(r.statusCode()).isEqualTo(302);
    assertThat(r.headers().firstValue("Location"))
        .hasValue(server.uri() + "/portal/signin?returnTo=%2Fportal");
    assertThat(r.headers().allValues("Set-Cookie")).isEmpty();
  }

  @Test
  void anOriginIsSchemeHostAndPortWithTheDefaultPortSpelledOrNot() {
    assertThat(
            SignIn.sameOrigin(
                URI.create("https://b.example"), URI.create("https://B.example:443/")))
        .isTrue();
    assertThat(
            SignIn.sameOrigin(
                URI.create("https://b.example:8443"), URI.create("https://b.example")))
        .isFalse();
    assertThat(SignIn.sameOrigin(URI.create("http://b.example"), URI.create("https://b.example")))
        .isFalse();
    assertThat(
            SignIn.sameOrigin(URI.create("https://localhost:1"), URI.create("https://127.0.0.1:1")))
        .isFalse();
  }

  @Test
  void aSignInStartsASessionWithASecureCookieAndGoesBack() throws Exception {
    HttpResponse<String> r = signIn("/portal?q=web");

    assertThat(r.statusCode()).as(r.body()).isEqualTo(303);
    assertThat(r.headers().firstValue("Location")).hasValue("/portal?q=web");
    List<String> set = r.headers().allValues("Set-Cookie");
    assertThat(set)
        .anySatisfy(
            c ->
                assertThat(c)
                    .startsWith("__Host-berth-session=")
                    .contains("; Path=/", "; Secure", "; HttpOnly", "; SameSite=Lax")
                    .doesNotContain("Domain="))
        .anySatisfy(
            c -> assertThat(c).startsWith("__Host-berth-portal-signin=;").contains("Max-Age=0"));
    PortalSession session =
        portal.get().sessions().find(cookie(set, Cookies.SESSION).orElseThrow()).orElseThrow();
    assertThat(session.user()).isEqualTo("Ann Admin");
    assertThat(session.objectId()).isEqualTo("oid-ann");
    assertThat(session.expiresAt()).isEqualTo(clock.instant().plus(Duration.ofHours(8)));
    assertThat(session.accessToken()).isEqualTo(tokens.lastAccessToken);
  }

  @Test
  void theAccessTokenIsInNoHeaderOrPageThePortalSends() throws Exception {
    HttpResponse<String> r = signIn(null);
    String token = tokens.lastAccessToken;

    assertThat(r.headers().map().toString()).doesNotContain(token);
    assertThat(r.body()).doesNotContain(token);
  }

  @Test
  void aCallbackInAnotherBrowserIsRefused() throws Exception {
    Began began = begin(null);
    Began other = begin(null);
    String query = q("code", codeFor(began)) + "&" + q("state", began.state());

    HttpResponse<String> r = callback(query, other.cookie());

    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.body()).contains("SignInStateMismatch");
    assertThat(r.headers().allValues("Set-Cookie")).noneMatch(c -> c.startsWith(Cookies.SESSION));
    assertThat(tokens.redemptions).hasValue(0);
  }

  @Test
  void aCallbackWithNoSignInCookieOrAnUnknownStateIsRefused() throws Exception {
    Began began = begin(null);
    String code = codeFor(began);

    assertThat(callback(q("code", code) + "&" + q("state", began.state()), null).statusCode())
        .isEqualTo(400);
    assertThat(callback(q("code", code) + "&" + q("state", "made-up"), began.cookie()).body())
        .contains("SignInStateMismatch");
    assertThat(tokens.redemptions).hasValue(0);
  }

  @Test
  void aCallbackWorksOnce() throws Exception {
    Began began = begin(null);
    String query = q("code", codeFor(began)) + "&" + q("state", began.state());

    assertThat(callback(query, began.cookie()).statusCode()).isEqualTo(303);
    HttpResponse<String> again = callback(query, began.cookie());

    assertThat(again.statusCode()).isEqualTo(400);
    assertThat(again.body()).contains("SignInStateMismatch");
    assertThat(tokens.redemptions).as("the replay never reached the token service").hasValue(1);
  }

  @Test
  void aSignInTakingOverTenMinutesIsRefused() throws Exception {
    Began began = begin(null);
    String query = q("code", codeFor(began)) + "&" + q("state", began.state());

    clock.advance(Duration.ofMinutes(10));

    assertThat(callback(query, began.cookie()).body()).contains("SignInStateMismatch");
  }

  @Test
  void theTokenServicesRefusalIsShownInItsOwnWords() throws Exception {
    tokens.refusal =
        Map.of("error", "invalid_grant", "error_description", "AADSTS70008: The code expired.");

    HttpResponse<String> r = signIn(null);

    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.body()).contains("invalid_grant").contains("AADSTS70008: The code expired.");
    assertThat(r.headers().allValues("Set-Cookie")).noneMatch(c -> c.startsWith(Cookies.SESSION));
  }

  @Test
  void aCodeRedeemedWithAnotherVerifierIsRefusedByTheTokenService() throws Exception {
    Began began = begin(null);
    String code =
        tokens.issue(
            new FakeTokenService.Issued(
                Pkce.create().challenge(),
                began.authorize().get("redirect_uri"),
                began.authorize().get("nonce"),
                "oid-ann",
                clock.instant().plusSeconds(3600)));

    HttpResponse<String> r =
        callback(q("code", code) + "&" + q("state", began.state()), began.cookie());

    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.body()).contains("invalid_grant");
  }

  @Test
  void anAuthorizeErrorIsShownInTheTokenServicesWords() throws Exception {
    Began began = begin(null);

    HttpResponse<String> r =
        callback(
            q("error", "access_denied")
                + "&"
                + q("error_description", "AADSTS50126: Invalid user name or password.")
                + "&"
                + q("state", began.state()),
            began.cookie());

    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.body()).contains("access_denied").contains("AADSTS50126");
  }

  @Test
  void anIdTokenForAnotherSignInIsRefused() throws Exception {
    Began began = begin(null);
    String code =
        tokens.issue(
            new FakeTokenService.Issued(
                began.authorize().get("code_challenge"),
                began.authorize().get("redirect_uri"),
                "another-nonce",
                "oid-ann",
                clock.instant().plusSeconds(3600)));

    HttpResponse<String> r =
        callback(q("code", code) + "&" + q("state", began.state()), began.cookie());

    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.body()).contains("invalid_nonce");
  }

  @Test
  void returnToCannotLeaveThePortal() throws Exception {
    for (String evil :
        List.of("https://evil.example/", "//evil.example/portal", "/\\evil.example", "/x")) {
      HttpResponse<String> r = signIn(evil);

      assertThat(r.headers().firstValue("Location")).as(evil).hasValue("/portal");
    }
  }

  @Test
  void everySignInGetsANewSessionAndEndsTheOldOne() throws Exception {
    String first =
        cookie(signIn(null).headers().allValues("Set-Cookie"), Cookies.SESSION).orElseThrow();
    Began began = begin(null);
    HttpResponse<String> again =
        get(
            "/portal/signin/callback?"
                + q("code", codeFor(began))
                + "&"
                + q("state", began.state()),
            Cookies.SIGN_IN + "=" + began.cookie() + "; " + Cookies.SESSION + "=" + first);
    String second = cookie(again.headers().allValues("Set-Cookie"), Cookies.SESSION).orElseThrow();

    assertThat(second).isNotEqualTo(first);
    assertThat(portal.get().sessions().find(first)).isEmpty();
    assertThat(portal.get().sessions().find(second)).isPresent();
  }

  @Test
  void signOutNeedsTheCsrfTokenThenEndsTheSession() throws Exception {
    String id =
        cookie(signIn(null).headers().allValues("Set-Cookie"), Cookies.SESSION).orElseThrow();
    String csrf = portal.get().sessions().find(id).orElseThrow().csrfToken();
    String cookie = Cookies.SESSION + "=" + id;

    HttpResponse<String> forged = post("/portal/signout", cookie, "");
    assertThat(forged.statusCode()).isEqualTo(403);
    assertThat(forged.body()).contains("CsrfTokenMismatch");
    assertThat(portal.get().sessions().find(id)).isPresent();

    HttpResponse<String> out = post("/portal/signout", cookie, q("_csrf", csrf));
    assertThat(out.statusCode()).isEqualTo(303);
    assertThat(out.headers().firstValue("Location")).hasValue("/portal/signedout");
    assertThat(out.headers().allValues("Set-Cookie"))
        .anySatisfy(c -> assertThat(c).startsWith("__Host-berth-session=;").contains("Max-Age=0"));

    assertThat(get("/portal", cookie).statusCode()).isEqualTo(303);
    assertThat(post("/portal/signout", cookie, q("_csrf", csrf)).statusCode()).isEqualTo(401);
    HttpResponse<String> signedOut = get("/portal/signedout", null);
    assertThat(signedOut.statusCode()).isEqualTo(200);
    assertThat(signedOut.body()).contains("href=\"/portal/signin\"").contains("Sign in again");
  }
}
