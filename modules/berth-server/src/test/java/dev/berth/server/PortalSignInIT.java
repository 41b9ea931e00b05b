package dev.berth.server;

import static dev.berth.server.PortalPages.location;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
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

  private static final String SESSION = PortalPages.SESSION;
  private static final Pattern FORM_ACTION =
      Pattern.compile("<form method=\"post\" action=\"([^\"]+)\"");
  private static final Pattern HIDDEN =
      Pattern.compile("<input type=\"hidden\" name=\"([^\"]+)\" value=\"([^\"]*)\"");

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

  private static PortalPages visitor() throws Exception {
    return new PortalPages(BERTH);
  }

  private static PortalPages signedIn() throws Exception {
    PortalPages v = visitor();
    signIn(v, null, owner.name(), owner.password());
    return v;
  }

  /**
   * Starts a sign-in at the portal and fills in the token service's form: the answer is the token
   * service's redirect to the portal's callback (not yet followed).
   */
  private static HttpResponse<String> authorize(
      PortalPages v, String returnTo, String user, String password) throws Exception {
    HttpResponse<String> start =
        v.get(
            "/portal/signin" + (returnTo == null ? "" : "?returnTo=" + PortalPages.enc(returnTo)));
    assertThat(start.statusCode()).as(start.body()).isEqualTo(302);
    HttpResponse<String> page = v.get(location(start));
    assertThat(page.statusCode()).as(page.body()).isEqualTo(200);
    Matcher action = FORM_ACTION.matcher(page.body());
    assertThat(action.find()).as(page.body()).isTrue();
    List<String> form = new ArrayList<>();
    Matcher hidden = HIDDEN.matcher(page.body());
    while (hidden.find()) {
      form.addAll(List.of(hidden.group(1), unescape(hidden.group(2))));
    }
    form.addAll(List.of("username", user, "password", password));
    HttpResponse<String> signedIn =
        v.postExactly(unescape(action.group(1)), form.toArray(String[]::new));
    assertThat(signedIn.statusCode()).as(signedIn.body()).isEqualTo(302);
    return signedIn;
  }

  /** Signs in through the portal and the token service; the portal's last answer (its 303). */
  private static HttpResponse<String> signIn(
      PortalPages v, String returnTo, String user, String password) throws Exception {
    HttpResponse<String> back = v.get(location(authorize(v, returnTo, user, password)));
    assertThat(back.statusCode()).as(back.body()).isEqualTo(303);
    assertThat(v.cookie(SESSION)).isNotNull();
    return back;
  }

  private static String unescape(String html) {
    return html.replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&");
  }

  @Test
  void aSignInSetsASecureHostOnlyHttpOnlyLaxCookieAndGoesBack() throws Exception {
    PortalPages v = visitor();

    HttpResponse<String> back = signIn(v, "/portal?q=web", owner.name(), owner.password());

    assertThat(location(back)).isEqualTo("/portal?q=web");
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
    PortalPages v = signedIn();
    String first = v.cookie(SESSION);

    signIn(v, null, owner.name(), owner.password());

    assertThat(v.cookie(SESSION)).isNotEqualTo(first);
    PortalPages old = visitor();
    old.setCookie(SESSION, first);
    assertThat(old.get("/portal").statusCode()).isEqualTo(303);
  }

  @Test
  void aCallbackDeliveredToAnotherBrowserIsRefused() throws Exception {
    PortalPages victim = visitor();
    String callback = location(authorize(victim, null, owner.name(), owner.password()));
    PortalPages other = visitor();

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
    PortalPages a = visitor();
    PortalPages b = visitor();
    String callbackA = location(authorize(a, null, owner.name(), owner.password()));
    authorize(b, null, owner.name(), owner.password()); // b holds its own sign-in cookie

    HttpResponse<String> r = b.get(callbackA);

    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.body()).contains("SignInStateMismatch");
    assertThat(b.cookie(SESSION)).isNull();
  }

  @Test
  void returnToCannotLeaveThePortal() throws Exception {
    for (String evil :
        new String[] {"//evil.example/portal", "https://evil.example/portal", "/\\evil.example"}) {
      HttpResponse<String> back = signIn(visitor(), evil, owner.name(), owner.password());

      assertThat(location(back)).as(evil).isEqualTo("/portal");
    }
  }

  @Test
  void aFormPostWithoutItsCsrfTokenIsRefusedAndTheSessionLives() throws Exception {
    PortalPages v = signedIn();

    HttpResponse<String> r = v.postExactly("/portal/signout");

    assertThat(r.statusCode()).isEqualTo(403);
    assertThat(r.body()).contains("CsrfTokenMismatch");
    assertThat(v.get("/portal").statusCode()).isEqualTo(200);
  }

  @Test
  void aFormPostWithAnotherSessionsCsrfTokenIsRefused() throws Exception {
    PortalPages mine = signedIn();
    PortalPages theirs = signedIn();

    HttpResponse<String> r =
        mine.postExactly("/portal/signout", "_csrf", theirs.csrfToken("/portal"));

    assertThat(r.statusCode()).isEqualTo(403);
    assertThat(r.body()).contains("CsrfTokenMismatch");
    assertThat(mine.get("/portal").statusCode()).isEqualTo(200);
  }

  @Test
  void afterSignOutTheOldCookieIsRefused() throws Exception {
    PortalPages v = signedIn();
    String cookie = v.cookie(SESSION);
    String csrf = v.csrfToken("/portal");

    HttpResponse<String> out = v.postExactly("/portal/signout", "_csrf", csrf);

    assertThat(out.statusCode()).isEqualTo(303);
    assertThat(location(out)).isEqualTo("/portal/signedout");
    assertThat(v.cookie(SESSION)).as("the browser was told to drop the cookie").isNull();
    HttpResponse<String> signedOut = v.get("/portal/signedout");
    assertThat(signedOut.body()).contains("Sign in again");

    PortalPages stale = visitor();
    stale.setCookie(SESSION, cookie);
    HttpResponse<String> page = stale.get("/portal");
    assertThat(page.statusCode()).isEqualTo(303);
    assertThat(location(page)).startsWith("/portal/signin?returnTo=");
    stale.setCookie(SESSION, cookie);
    HttpResponse<String> post = stale.postExactly("/portal/signout", "_csrf", csrf);
    assertThat(post.statusCode()).isEqualTo(401);
    assertThat(post.body()).contains("SessionRequired");
  }

  @Test
  void aForgedCookieOrNoneIsNoSession() throws Exception {
    PortalPages forged = visitor();
    forged.setCookie(SESSION, "A".repeat(43));
    assertThat(forged.get("/portal").statusCode()).isEqualTo(303);
    forged.setCookie(SESSION, "A".repeat(43));
    HttpResponse<String> post = forged.postExactly("/portal/signout", "_csrf", "A".repeat(43));
    assertThat(post.statusCode()).isEqualTo(401);
    assertThat(post.body()).contains("SessionRequired");

    PortalPages none = visitor();
    assertThat(none.get("/portal").statusCode()).isEqualTo(303);
    assertThat(none.postExactly("/portal/signout").statusCode()).isEqualTo(401);
  }

  @Test
  void theAccessTokenIsInNoPageOrHeaderThePortalSends() throws Exception {
    PortalPages v = signedIn();
    v.get("/portal");
    v.get("/portal?q=none");
    v.get("/portal/resource/subscriptions/" + BERTH.bootstrap().subscriptionId());
    v.postExactly("/portal/signout", "_csrf", v.csrfToken("/portal"));

    int portalAnswers = 0;
    for (HttpResponse<String> r : v.answers()) {
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
