package dev.berth.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.identity.BuiltInRoles;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code GET /metrics} on a running Berth (in this JVM, no runtime): a request through the apps'
 * ingress is counted under its app, revision and status class; the scrape needs a token of a reader
 * of the subscription (401 with a Bearer challenge without one, 403 {@code AuthorizationFailed} for
 * a Contributor of one group only).
 */
class MetricsIT {

  @RegisterExtension static final RunningBerth BERTH = new RunningBerth().withIngress();

  private static BootstrapInfo boot;
  private static Https https;
  private static String owner;
  private static Principals principals;
  private static String fqdn;
  private static String revision;

  @BeforeAll
  static void anAppWithIngress() throws Exception {
    boot = BERTH.bootstrap();
    https = new Https(BERTH.caFile(), boot.managementEndpoint());
    owner =
        https.token(
            boot.tenantId(), boot.clientId(), boot.clientSecret(), boot.managementEndpoint());
    principals = new Principals(https, boot, owner);
    AppFixture apps = new AppFixture(new RegistryFixture(BERTH));
    String group = "/subscriptions/" + boot.subscriptionId() + "/resourceGroups/metrics";
    var rg =
        https.send("PUT", group + "?api-version=2021-04-01", owner, "{\"location\":\"local\"}");
    assertThat(rg.statusCode()).isIn(200, 201);
    String env = apps.createEnvironment("metrics", "env");
    String app = group + "/providers/Microsoft.App/containerApps/web";
    // No runtime here: the revision never gets a replica, so the ingress answers 503 itself.
    var put =
        https.send(
            "PUT",
            app + AppFixture.APP_API,
            owner,
            """
            {"location":"local","properties":{"environmentId":"%s",
              "configuration":{"ingress":{"external":true,"targetPort":8080,"allowInsecure":true}},
              "template":{"containers":[{"name":"web","image":"example.invalid/web:1",
                "resources":{"cpu":0.25,"memory":"0.5Gi"}}]}}}"""
                .formatted(env));
    assertThat(put.statusCode()).as(put.body()).isIn(200, 201);
    JsonNode p = apps.get(app).path("properties");
    fqdn = p.at("/configuration/ingress/fqdn").asText();
    revision = p.path("latestRevisionName").asText();
    assertThat(fqdn).startsWith("web.");
    assertThat(revision).startsWith("web--");
  }

  private static HttpResponse<String> scrape(String token) throws Exception {
    return https.send("GET", "/metrics", token, null);
  }

  private static void assertArmError(HttpResponse<String> r, int status, String code)
      throws Exception {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
    assertThat(Https.json(r).at("/error/code").asText()).isEqualTo(code);
  }

  @Test
  void aRequestThroughTheIngressIsCountedAndReadersOfTheSubscriptionSeeIt() throws Exception {
    // The route table follows the store on its own thread: wait until the app's host answers.
    await().atMost(Duration.ofSeconds(10)).until(() -> ingressGet(fqdn).startsWith("HTTP/1.1 503"));
    String reader =
        principals
            .withRole(BuiltInRoles.MONITORING_READER, "/subscriptions/" + boot.subscriptionId())
            .token();

    String labels = "app=\"web\",revision=\"" + revision + "\"";
    HttpResponse<String> r = scrape(reader);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type"))
        .hasValue("text/plain; version=0.0.4; charset=utf-8");
    // At least the one request above: the wait may have sent more.
    assertThat(r.body())
        .containsPattern(
            "berth_ingress_requests_total\\{" + labels + ",status_class=\"5xx\"} [1-9][0-9]*\\.0")
        .contains("berth_ingress_requests_in_flight{" + labels + "} 0.0")
        .contains("berth_ingress_request_duration_seconds_bucket{" + labels + ",le=\"240.0\"}")
        .contains("berth_replicas_ready{" + labels + "} 0.0")
        .contains("jvm_memory_used_bytes");
    assertThat(scrape(owner).statusCode()).isEqualTo(200);
  }

  @Test
  void withoutATokenIs401WithABearerChallenge() throws Exception {
    HttpResponse<String> r = scrape(null);

    assertArmError(r, 401, "AuthenticationFailed");
    assertThat(r.headers().firstValue("WWW-Authenticate"))
        .hasValueSatisfying(v -> assertThat(v).startsWith("Bearer "));
  }

  @Test
  void aContributorOfOneGroupOnlyIs403() throws Exception {
    String contributor =
        principals
            .withRole(
                BuiltInRoles.CONTRIBUTOR,
                "/subscriptions/" + boot.subscriptionId() + "/resourceGroups/metrics")
            .token();

    assertArmError(scrape(contributor), 403, "AuthorizationFailed");
  }

  /** A plain-HTTP GET to the ingress with {@code host}: the whole response as text. */
  private static String ingressGet(String host) throws Exception {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", BERTH.server().ingressHttpPort()), 5_000);
      socket.setSoTimeout(5_000);
      OutputStream out = socket.getOutputStream();
      out.write(
          ("GET / HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      try (InputStream in = socket.getInputStream()) {
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
      }
    }
  }
}
