package dev.berth.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jwt.SignedJWT;
import dev.berth.http.Json;
import dev.berth.store.memory.InMemoryResourceStore;
import dev.berth.testing.ManualClock;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The authorization-code flow with PKCE over real HTTP: the form, the code, the token. */
class UserSignInTest {

  static final String TENANT = "72f988bf-0000-4000-8000-000000000001";
  static final String ARM = "https://127.0.0.1:8443/";
  static final String PASSWORD = "correct horse battery";

  @TempDir Path keyDir;

  final ManualClock clock = new ManualClock(Instant.parse("2026-01-01T10:00:00Z"));
  IdentityConfig config;
  SigningKeys keys;
  UserAccounts users;
  StoreDirectory directory;
  TestServer server;
  SignInClient browser;
  String verifier;

  @BeforeEach
  void start() throws Exception {
    config =
        IdentityConfig.of(TENANT, URI.create("https://127.0.0.1:8443"), keyDir).withClock(clock);
    keys = SigningKeys.loadOrCreate(keyDir);
    InMemoryResourceStore store = new InMemoryResourceStore();
    directory = new StoreDirectory(store, TENANT, clock);
    users = new UserAccounts(store, TENANT, clock);
    assertThat(users.create("alice", "Alice Example", Optional.of(PASSWORD))).isPresent();
    TokenIssuer issuer = new TokenIssuer(config, keys);
    TokenEndpoints endpoints =
        new TokenEndpoints(
            config, directory, issuer, keys, Optional.of(new UserSignIn(config, users, issuer)));
    server = TestServer.start(endpoints.routes());
    browser = new SignInClient(server.base(), ARM);
    verifier = SignInClient.verifier();
  }

  @AfterEach
  void stop() {
    server.close();
    browser.http.close();
  }

  @Test
  void theFormIsAnAccessiblePageWithThePortalsSecurityHeadersAndALoginCsrfCookie()
      throws Exception {
    HttpResponse<String> page =
        browser.get("/common/oauth2/v2.0/authorize?" + browser.query(verifier));

    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.body())
        .contains("<html lang=\"en\">", "<title>", "<h1>", "<form method=\"post\"")
        .contains("<label for=\"username\">", "<label for=\"password\">")
        .contains("id=\"username\" name=\"username\" autocomplete=\"username\"")
        .contains("id=\"password\" name=\"password\" type=\"password\"")
        .contains("autocomplete=\"current-password\"", ">Sign in</button>");
    assertThat(page.headers().firstValue("Content-Security-Policy").orElseThrow())
        .contains("frame-ancestors 'none'", "script-src 'self'");
    assertThat(page.headers().firstValue("X-Frame-Options")).contains("DENY");
    assertThat(page.headers().firstValue("Cache-Control")).contains("no-store");
    assertThat(page.headers().firstValue("Set-Cookie").orElseThrow())
        .startsWith("__Host-berth-signin=")
        .contains("Path=/", "Secure", "HttpOnly", "SameSite=Strict");
  }

  @Test
  void theRightPasswordRedirectsWithACodeThatBuysAUserTokenAndAnIdToken() throws Exception {
    HttpResponse<String> signedIn =
        browser.signIn(TENANT, browser.query(verifier), "alice", PASSWORD);

    assertThat(signedIn.statusCode()).as(signedIn.body()).isEqualTo(302);
    assertThat(signedIn.headers().firstValue("Location").orElseThrow())
        .startsWith(browser.callback() + "?code=");
    Map<String, String> back = SignInClient.redirectParams(signedIn);
    assertThat(back).containsEntry("state", "st-1");
    HttpResponse<String> token = redeem(back.get("code"), verifier);
    assertThat(token.statusCode()).as(token.body()).isEqualTo(200);
    assertThat(token.headers().firstValue("Cache-Control").orElseThrow()).contains("no-store");
    JsonNode body = Json.parse(token.body().getBytes(StandardCharsets.UTF_8));
    assertThat(body.path("token_type").asText()).isEqualTo("Bearer");
    assertThat(body.path("expires_in").asLong()).isEqualTo(3599);
    assertThat(body.path("scope").asText()).startsWith(ARM + "/user_impersonation");

    var alice = users.findByUserName("alice").orElseThrow();
    var claims = SignedJWT.parse(body.path("access_token").asText()).getJWTClaimsSet();
    assertThat(claims.getAudience()).containsExactly(ARM);
    assertThat(claims.getStringClaim("oid")).isEqualTo(alice.objectId());
    assertThat(claims.getSubject()).isEqualTo(alice.objectId());
    assertThat(claims.getStringClaim("idtyp")).isEqualTo("user");
    assertThat(claims.getStringClaim("scp")).isEqualTo("user_impersonation");
    assertThat(claims.getStringClaim("name")).isEqualTo("Alice Example");
    assertThat(claims.getStringClaim("preferred_username")).isEqualTo("alice");
    assertThat(claims.getStringClaim("azp")).isEqualTo("berth-portal");
    assertThat(claims.getStringClaim("appid")).isEqualTo("berth-portal");
    VerifiedToken verified =
        new JwtTokenVerifier(config, keys, users::findByObjectId)
            .verify(body.path("access_token").asText(), config.managementAudiences());
    assertThat(verified.principal()).isEqualTo(alice);

    var id = SignedJWT.parse(body.path("id_token").asText()).getJWTClaimsSet();
    assertThat(id.getAudience()).containsExactly("berth-portal");
    assertThat(id.getStringClaim("nonce")).isEqualTo("n-1");
    assertThat(id.getStringClaim("oid")).isEqualTo(alice.objectId());
    // An ID token is no access token: ARM's audiences refuse it.
    assertThatThrownBy(
            () ->
                new JwtTokenVerifier(config, keys, users::findByObjectId)
                    .verify(body.path("id_token").asText(), config.managementAudiences()))
        .isInstanceOf(TokenRejectedException.class);
  }

  @Test
  void aWrongVerifierIsRefusedAndSpendsTheCode() throws Exception {
    String code = code();
    assertGrantError(redeem(code, SignInClient.verifier()), "invalid_grant", 501481);
    assertGrantError(redeem(code, verifier), "invalid_grant", 54005);
  }

  @Test
  void aCodeWorksOnce() throws Exception {
    String code = code();
    assertThat(redeem(code, verifier).statusCode()).isEqualTo(200);
    assertGrantError(redeem(code, verifier), "invalid_grant", 54005);
  }

  @Test
  void aCodeExpiresAfterSixtySeconds() throws Exception {
    String code = code();
    clock.advance(Duration.ofSeconds(61));
    assertGrantError(redeem(code, verifier), "invalid_grant", 70008);
  }

  @Test
  void anUnknownCodeIsRefused() throws Exception {
    assertGrantError(redeem("made-up-code", verifier), "invalid_grant", 70000);
  }

  @Test
  void theTokenRequestMustNameTheSameRedirectUri() throws Exception {
    String code = code();
    HttpResponse<String> response =
        browser.redeem(
            TENANT,
            "grant_type",
            "authorization_code",
            "client_id",
            "berth-portal",
            "code",
            code,
            "redirect_uri",
            browser.callback() + "x",
            "code_verifier",
            verifier);
    assertGrantError(response, "invalid_grant", 500112);
  }

  @Test
  void theTokenRequestMustComeFromThePortalClient() throws Exception {
    String code = code();
    HttpResponse<String> response =
        browser.redeem(
            TENANT,
            "grant_type",
            "authorization_code",
            "client_id",
            "another-app",
            "code",
            code,
            "redirect_uri",
            browser.callback(),
            "code_verifier",
            verifier);
    assertThat(response.statusCode()).isEqualTo(400);
    assertGrantError(response, "unauthorized_client", 700016);
  }

  @Test
  void aWrongClientOrRedirectUriGetsAnErrorPageAndNeverARedirect() throws Exception {
    for (String[] bad :
        new String[][] {
          {"client_id", "another-app"},
          {"client_id", null},
          {"redirect_uri", "https://evil.example/portal/signin/callback"},
          {"redirect_uri", browser.callback() + "/../x"},
          {"redirect_uri", null},
        }) {
      HttpResponse<String> page =
          browser.get("/" + TENANT + "/oauth2/v2.0/authorize?" + browser.query(verifier, bad));
      assertThat(page.statusCode())
          .as(String.join("=", bad[0], String.valueOf(bad[1])))
          .isEqualTo(400);
      assertThat(page.headers().firstValue("Location")).isEmpty();
      assertThat(page.body()).contains("<html lang=\"en\">", "role=\"alert\"");
    }
  }

  @Test
  void otherBadParametersGoBackToTheClientWithErrorAndState() throws Exception {
    Object[][] cases = {
      {new String[] {"code_challenge", null}, "invalid_request"},
      {new String[] {"code_challenge_method", "plain"}, "invalid_request"},
      {new String[] {"code_challenge_method", null}, "invalid_request"},
      {new String[] {"code_challenge", "short"}, "invalid_request"},
      {new String[] {"response_type", "token"}, "unsupported_response_type"},
      {new String[] {"response_type", null}, "invalid_request"},
      {new String[] {"scope", "https://evil.example//.default"}, "invalid_scope"},
      {new String[] {"scope", "openid"}, "invalid_scope"},
    };
    for (Object[] c : cases) {
      String[] override = (String[]) c[0];
      HttpResponse<String> response =
          browser.get("/" + TENANT + "/oauth2/v2.0/authorize?" + browser.query(verifier, override));
      assertThat(response.statusCode()).as(override[0] + "=" + override[1]).isEqualTo(302);
      assertThat(response.headers().firstValue("Location").orElseThrow())
          .startsWith(browser.callback() + "?");
      Map<String, String> params = SignInClient.redirectParams(response);
      assertThat(params).containsEntry("error", (String) c[1]).containsEntry("state", "st-1");
      assertThat(params.get("error_description")).startsWith("AADSTS");
      assertThat(params).doesNotContainKey("code");
    }
  }

  @Test
  void aWrongPasswordAndAnUnknownUserGetTheSameGenericMessage() throws Exception {
    HttpResponse<String> wrong =
        browser.signIn(TENANT, browser.query(verifier), "alice", "nope-nope-nope");
    HttpResponse<String> unknown =
        browser.signIn(TENANT, browser.query(verifier), "mallory", PASSWORD);

    for (HttpResponse<String> r : java.util.List.of(wrong, unknown)) {
      assertThat(r.statusCode()).isEqualTo(400);
      assertThat(r.headers().firstValue("Location")).isEmpty();
      assertThat(r.body()).contains("The user name or password is wrong.");
    }
  }

  @Test
  void echoedValuesAreEscaped() throws Exception {
    HttpResponse<String> r =
        browser.signIn(
            TENANT, browser.query(verifier, "state", "\"><script>x</script>"), "<b>x</b>", "p");
    assertThat(r.body()).doesNotContain("<script>", "<b>x</b>").contains("&lt;b&gt;x&lt;/b&gt;");
  }

  @Test
  void fiveFailuresLockTheUserNameForTheRestOfTheWindow() throws Exception {
    for (int i = 0; i < 5; i++) {
      clock.advance(Duration.ofMinutes(1));
      assertThat(
              browser.signIn(TENANT, browser.query(verifier), "alice", "wrong-" + i).statusCode())
          .isEqualTo(400);
    }
    HttpResponse<String> locked =
        browser.signIn(TENANT, browser.query(verifier), "ALICE", PASSWORD);
    assertThat(locked.statusCode()).isEqualTo(429);
    assertThat(locked.body()).contains("Too many failed sign-ins", "11 minutes");
    assertThat(locked.headers().firstValue("Location")).isEmpty();

    clock.advance(Duration.ofMinutes(11));
    assertThat(browser.signIn(TENANT, browser.query(verifier), "alice", PASSWORD).statusCode())
        .isEqualTo(302);
  }

  @Test
  void aStrangersFailuresDoNotLockTheUserOutFromTheirOwnAddress() throws Exception {
    SignInClient stranger =
        new SignInClient(server.base(), ARM, java.net.InetAddress.getByName("127.0.0.2"));
    for (int i = 0; i < 6; i++) {
      stranger.signIn(TENANT, stranger.query(verifier), "alice", "guess-" + i);
    }
    assertThat(stranger.signIn(TENANT, stranger.query(verifier), "alice", PASSWORD).statusCode())
        .as("the stranger's address is locked")
        .isEqualTo(429);

    assertThat(browser.signIn(TENANT, browser.query(verifier), "alice", PASSWORD).statusCode())
        .as("alice, from her own address, signs in")
        .isEqualTo(302);
  }

  @Test
  void aPostWithoutTheFormsCookieOrWithAnotherTokenIsRefused() throws Exception {
    String query = browser.query(verifier);
    String csrf = browser.openForm(TENANT, query);
    String credentials =
        SignInClient.form(Map.of("csrf", csrf, "username", "alice", "password", PASSWORD));

    HttpResponse<String> noCookie = browser.postForm(TENANT, query, credentials, null);
    HttpResponse<String> otherCookie =
        browser.postForm(TENANT, query, credentials, "__Host-berth-signin=" + csrf + "x");
    String forged = SignInClient.form(Map.of("username", "alice", "password", PASSWORD));
    HttpResponse<String> noField = browser.postForm(TENANT, query, forged, browser.cookie);

    for (HttpResponse<String> r : java.util.List.of(noCookie, otherCookie, noField)) {
      assertThat(r.statusCode()).isEqualTo(400);
      assertThat(r.headers().firstValue("Location")).isEmpty();
      assertThat(r.body()).contains("expired");
    }
    clock.advance(Duration.ofMinutes(16));
    HttpResponse<String> stale = browser.postForm(TENANT, query, credentials, browser.cookie);
    assertThat(stale.statusCode()).isEqualTo(400);
    assertThat(stale.headers().firstValue("Location")).isEmpty();
  }

  @Test
  void aDeletedUsersCodeBuysNothing() throws Exception {
    String code = code();
    users.delete("alice");
    assertGrantError(redeem(code, verifier), "invalid_grant", 50034);
  }

  @Test
  void discoveryNamesTheRealAuthorizeRouteAndS256() throws Exception {
    for (String path :
        new String[] {
          "/" + TENANT + "/v2.0/.well-known/openid-configuration",
          "/" + TENANT + "/.well-known/openid-configuration"
        }) {
      JsonNode doc = Json.parse(browser.get(path).body().getBytes(StandardCharsets.UTF_8));
      assertThat(doc.path("authorization_endpoint").asText())
          .isEqualTo(server.base() + "/" + TENANT + "/oauth2/v2.0/authorize");
      assertThat(doc.path("code_challenge_methods_supported").toString()).isEqualTo("[\"S256\"]");
      assertThat(doc.path("grant_types_supported").toString()).contains("authorization_code");
    }
  }

  private String code() throws Exception {
    HttpResponse<String> signedIn =
        browser.signIn(TENANT, browser.query(verifier), "alice", PASSWORD);
    assertThat(signedIn.statusCode()).as(signedIn.body()).isEqualTo(302);
    return SignInClient.redirectParams(signedIn).get("code");
  }

  private HttpResponse<String> redeem(String code, String codeVerifier) throws Exception {
    return browser.redeem(
        TENANT,
        "grant_type",
        "authorization_code",
        "client_id",
        "berth-portal",
        "code",
        code,
        "redirect_uri",
        browser.callback(),
        "code_verifier",
        codeVerifier);
  }

  private static void assertGrantError(HttpResponse<String> response, String error, int code)
      throws Exception {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
    JsonNode body = Json.parse(response.body().getBytes(StandardCharsets.UTF_8));
    assertThat(body.path("error").asText()).isEqualTo(error);
    assertThat(body.path("error_codes").get(0).asInt()).isEqualTo(code);
    assertThat(body.has("access_token")).isFalse();
  }
}
