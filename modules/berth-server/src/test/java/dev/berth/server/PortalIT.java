package dev.berth.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The portal on a real Berth, over HTTP: its chain (session, CSRF) and the home page. */
class PortalIT {

  @RegisterExtension static final RunningBerth BERTH = new RunningBerth();

  static BootstrapInfo boot;
  static PortalPages owner;

  @BeforeAll
  static void signInTheOwner() throws Exception {
    boot = BERTH.bootstrap();
    Https https = new Https(BERTH.caFile(), boot.managementEndpoint());
    String token =
        https.token(
            boot.tenantId(), boot.clientId(), boot.clientSecret(), boot.managementEndpoint());
    owner = new PortalPages(BERTH, BERTH.portalSession(token, "owner", boot.objectId()));
  }

  @Test
  void aPageWithNoSessionGoesToSignInAndComesBack() throws Exception {
    HttpResponse<String> r = new PortalPages(BERTH).get("/portal?q=x");

    assertThat(r.statusCode()).isEqualTo(303);
    assertThat(r.headers().firstValue("Location"))
        .hasValue("/portal/signin?returnTo=%2Fportal%3Fq%3Dx");
  }

  @Test
  void theHomePageListsTheSubscriptionTheTokenSees() throws Exception {
    HttpResponse<String> r = owner.get("/portal");

    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(r.body()).contains(boot.subscriptionId());
    assertThat(r.headers().firstValue("Content-Security-Policy"))
        .hasValueSatisfying(csp -> assertThat(csp).contains("script-src 'self'"));
  }

  @Test
  void aFormPostWithoutTheSessionsCsrfTokenIsRefused() throws Exception {
    HttpResponse<String> r = owner.postExactly("/portal", "q", "x");

    assertThat(r.statusCode()).isEqualTo(403);
    assertThat(r.body()).contains("CsrfTokenMismatch");
  }

  @Test
  void aForgedSessionCookieIsNoSession() throws Exception {
    HttpResponse<String> r = new PortalPages(BERTH, "forged").get("/portal");

    assertThat(r.statusCode()).isEqualTo(303);
  }
}
