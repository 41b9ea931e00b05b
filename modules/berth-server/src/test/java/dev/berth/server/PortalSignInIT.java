package dev.berth.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The portal's sign-in and its sessions on a real Berth, over HTTP, against Berth's own token
 * service: the cookies' attributes, the state bound to the browser, no open redirect, CSRF on every
 * form, sign-out, and no access token in anything the portal sends.
 */
class PortalSignInIT {

  @RegisterExtension static final RunningBerth BERTH = new RunningBerth();

  private static final String SESSION = "__Host-berth-session";

  /** A JWT: what an access token looks like on the wire. */
  private static final Pattern JWT = Pattern.compile("eyJ[A-Za-z0-9_-]+\\.eyJ[A-Za-z0-9_-]+\\.");

  static Users.User owner;

  @BeforeAll
  static void makePeople() throws Exception {
    BootstrapInfo boot = BERTH.bootstrap();
    Https https = new Https(BERTH.caFile(), boot.managementEndpoint());
    String token =
        https.token(
            boot.tenantId(), boot.clientId(), boot.clientSecret(), boot.managementEndpoint());
    owner = new Users(https, boot, token).withRole("ann", Principals.OWNER);
  }

  private static PortalVisitor visitor() throws Exception {
    return new PortalVisitor(BERTH.caFile(), BERTH.baseUrl());
  }

  private static PortalVisitor signedIn() throws Exception {
    PortalVisitor v = visitor();
    v.signIn(null, owner.name(), owner.password());
    return v;
  }

  @Test
  void aSignInSetsASecureHostOnlyHttpOnlyLaxCookieAndGoesBack() throws Exception {
    PortalVisitor v = visitor();

    HttpResponse<String> back = v.signIn("/portal?q=web", owner.name(), owner.password());

    assertThat(PortalVisitor.location(back)).isEqualTo("/portal?q=web");
    assertThat(back.headers().allValues("Set-Cookie"))
        .anySatisfy(
            c ->
                assertThat(c)
                    .startsWith(SESSION + "=")
                    .contains("; Path=/", "; Secure", "; HttpOnly", "; SameSite=Lax")
                    .doesNotContainIgnoringCase("domain="))
        .anySatisfy(
            c -> assertThat(c).startsWith("__Host-berth-portal-signin=;").contains("Max-Age=0"));
    HttpResponse<String> home = v.get("/portal");
    assertThat(home.statusCode()).as(home.body()).isEqualTo(200);
    assertThat(home.body()).contains(owner.name()).contains(BERTH.bootstrap().subscriptionId());
  }

  @Test
  void everySignInStartsANewSession() throws Exception {
    PortalVisitor v = signedIn();
    String first = v.cookie(SESSION);

    v.signIn(null, owner.name(), owner.password());

    assertThat(v.cookie(SESSION)).isNotEqualTo(first);
    PortalVisitor old = visitor();
    old.setCookie(SESSION, first);
    assertThat(old.get("/portal").statusCode()).isEqualTo(303);
  }

  @Test
  void aCallbackDeliveredToAnotherBrowserIsRefused() throws Exception {
    PortalVisitor victim = visitor();
    String callback =
        PortalVisitor.location(victim.authorize(null, owner.name(), owner.password()));
    PortalVisitor other = visitor();

    HttpResponse<String> r = other.get(callback);

    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.body()).contains("SignInStateMismatch");
    assertThat(other.cookie(SESSION)).isNull();
    // The state was spent by the attempt: not even its own browser can use it now.
    assertThat(victim.get(callback).statusCode()).isEqualTo(400);
    assertThat(victim.cookie(SESSION)).isNull();
  }

  @Test
  void aCallbackWithAnotherSignInsStateIsRefused() throws Exception {
    PortalVisitor a = visitor();
    PortalVisitor b = visitor();
    String callbackA = PortalVisitor.location(a.authorize(null, owner.name(), owner.password()));
    b.authorize(null, owner.name(), owner.password()); // b holds its own sign-in cookie

    HttpResponse<String> r = b.get(callbackA);

    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.body()).contains("SignInStateMismatch");
    assertThat(b.cookie(SESSION)).isNull();
  }

  @Test
  void returnToCannotLeaveThePortal() throws Exception {
    for (String evil :
        new String[] {"//evil.example/portal", "https://evil.example/portal", "/\\evil.example"}) {
      HttpResponse<String> back = visitor().signIn(evil, owner.name(), owner.password());

      assertThat(PortalVisitor.location(back)).as(evil).isEqualTo("/portal");
    }
  }

  @Test
  void aFormPostWithoutItsCsrfTokenIsRefusedAndTheSessionLives() throws Exception {
    PortalVisitor v = signedIn();

    HttpResponse<String> r = v.post("/portal/signout", Map.of());

    assertThat(r.statusCode()).isEqualTo(403);
    assertThat(r.body()).contains("CsrfTokenMismatch");
    assertThat(v.get("/portal").statusCode()).isEqualTo(200);
  }

  @Test
  void aFormPostWithAnotherSessionsCsrfTokenIsRefused() throws Exception {
    PortalVisitor mine = signedIn();
    PortalVisitor theirs = signedIn();

    HttpResponse<String> r =
        mine.post("/portal/signout", Map.of("_csrf", theirs.csrfToken("/portal")));

    assertThat(r.statusCode()).isEqualTo(403);
    assertThat(r.body()).contains("CsrfTokenMismatch");
    assertThat(mine.get("/portal").statusCode()).isEqualTo(200);
  }

  @Test
  void afterSignOutTheOldCookieIsRefused() throws Exception {
    PortalVisitor v = signedIn();
    String cookie = v.cookie(SESSION);
    String csrf = v.csrfToken("/portal");

    HttpResponse<String> out = v.post("/portal/signout", Map.of("_csrf", csrf));

    assertThat(out.statusCode()).isEqualTo(303);
    assertThat(PortalVisitor.location(out)).isEqualTo("/portal/signedout");
    assertThat(v.cookie(SESSION)).as("the browser was told to drop the cookie").isNull();
    HttpResponse<String> signedOut = v.get("/portal/signedout");
    assertThat(signedOut.body()).contains("Sign in again");

    PortalVisitor stale = visitor();
    stale.setCookie(SESSION, cookie);
    HttpResponse<String> page = stale.get("/portal");
    assertThat(page.statusCode()).isEqualTo(303);
    assertThat(PortalVisitor.location(page)).startsWith("/portal/signin?returnTo=");
    stale.setCookie(SESSION, cookie);
    HttpResponse<String> post = stale.post("/portal/signout", Map.of("_csrf", csrf));
    assertThat(post.statusCode()).isEqualTo(401);
    assertThat(post.body()).contains("SessionRequired");
  }

  @Test
  void aForgedCookieOrNoneIsNoSession() throws Exception {
    PortalVisitor forged = visitor();
    forged.setCookie(SESSION, "A".repeat(43));
    assertThat(forged.get("/portal").statusCode()).isEqualTo(303);
    forged.setCookie(SESSION, "A".repeat(43));
    HttpResponse<String> post = forged.post("/portal/signout", Map.of("_csrf", "A".repeat(43)));
    assertThat(post.statusCode()).isEqualTo(401);
    assertThat(post.body()).contains("SessionRequired");

    PortalVisitor none = visitor();
    assertThat(none.get("/portal").statusCode()).isEqualTo(303);
    assertThat(none.post("/portal/signout", Map.of()).statusCode()).isEqualTo(401);
  }

  @Test
  void theAccessTokenIsInNoPageOrHeaderThePortalSends() throws Exception {
    PortalVisitor v = signedIn();
    v.get("/portal");
    v.get("/portal?q=none");
    v.get("/portal/resource/subscriptions/" + BERTH.bootstrap().subscriptionId());
    v.post("/portal/signout", Map.of("_csrf", v.csrfToken("/portal")));

    int portalAnswers = 0;
    for (HttpResponse<String> r : v.answers) {
      if (!URI.create(r.uri().toString()).getPath().startsWith("/portal")) {
        continue; // the token service's own sign-in pages
      }
      portalAnswers++;
      assertThat(r.headers().map().toString()).as(r.uri().toString()).doesNotContainPattern(JWT);
      assertThat(r.body()).as(r.uri().toString()).doesNotContainPattern(JWT);
    }
    assertThat(portalAnswers).isGreaterThanOrEqualTo(6);
  }
}
