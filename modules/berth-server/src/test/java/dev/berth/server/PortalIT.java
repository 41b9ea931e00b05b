package dev.berth.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The portal on a real Berth, over HTTP: its chain (session, CSRF) and the home page. */
class PortalIT {

  @RegisterExtension static final RunningBerth BERTH = new RunningBerth();

  static BootstrapInfo boot;
  static HttpClient client;
  static String ownerCookie;

  @BeforeAll
  static void signInTheOwner() throws Exception {
    boot = BERTH.bootstrap();
    Https https = new Https(BERTH.caFile(), boot.managementEndpoint());
    String token =
        https.token(
            boot.tenantId(), boot.clientId(), boot.clientSecret(), boot.managementEndpoint());
    ownerCookie = BERTH.portalSession(token, "owner", boot.objectId());
    client =
        HttpClient.newBuilder()
            .sslContext(Https.trusting(BERTH.caFile()))
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
  }

  private static HttpResponse<String> send(String method, String path, String cookie, String form)
      throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(BERTH.baseUrl() + path))
            .timeout(Duration.ofSeconds(30))
            .method(
                method,
                form == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(form));
    if (cookie != null) {
      b.header("Cookie", "__Host-berth-session=" + cookie);
    }
    if (form != null) {
      b.header("Content-Type", "application/x-www-form-urlencoded");
    }
    return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void aPageWithNoSessionGoesToSignInAndComesBack() throws Exception {
    HttpResponse<String> r = send("GET", "/portal?q=x", null, null);

    assertThat(r.statusCode()).isEqualTo(303);
    assertThat(r.headers().firstValue("Location"))
        .hasValue("/portal/signin?returnTo=%2Fportal%3Fq%3Dx");
  }

  @Test
  void theHomePageListsTheSubscriptionTheTokenSees() throws Exception {
    HttpResponse<String> r = send("GET", "/portal", ownerCookie, null);

    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(r.body()).contains(boot.subscriptionId());
    assertThat(r.headers().firstValue("Content-Security-Policy"))
        .hasValueSatisfying(csp -> assertThat(csp).contains("script-src 'self'"));
  }

  @Test
  void aFormPostWithoutTheSessionsCsrfTokenIsRefused() throws Exception {
    HttpResponse<String> r = send("POST", "/portal", ownerCookie, "q=x");

    assertThat(r.statusCode()).isEqualTo(403);
    assertThat(r.body()).contains("CsrfTokenMismatch");
  }

  @Test
  void aForgedSessionCookieIsNoSession() throws Exception {
    HttpResponse<String> r = send("GET", "/portal", "forged", null);

    assertThat(r.statusCode()).isEqualTo(303);
  }
}
