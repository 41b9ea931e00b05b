package dev.berth.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.store.PostgresServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * While Berth's PostgreSQL store is down, every API that needs it answers 503 in its own envelope
 * and says when to try again: ARM, the Entra token endpoint, the registry's token endpoints and the
 * portal. None answers 500, and each works again once the database is back.
 */
class StoreOutageIT {

  @Test
  void everyApiAnswers503InItsOwnEnvelopeWhileTheStoreIsDown(@TempDir Path dataDir)
      throws Exception {
    try (PostgresServer postgres = PostgresServer.start()) {
      String store = postgres.newDatabase().substring("jdbc:".length());
      ServerConfig config =
          ServerConfig.of(new DataDir(dataDir), "127.0.0.1", 0).withStoreOption(store, Map.of());
      try (BerthServer berth = BerthServer.start(config)) {
        BootstrapInfo boot = berth.bootstrap();
        RegistryFixture acr = new RegistryFixture(boot, dataDir.resolve("tls/ca.pem"), dataDir);
        String id = acr.createRegistry("out-rg", "outacr", "{\"adminUserEnabled\":true}");
        String server = acr.loginServer(id);
        String admin = "outacr:" + acr.adminPassword(id);
        String[] puller = acr.principalWithRole(RegistryFixture.ACR_PULL, id, null);
        String entraForAcr =
            acr.https.token(boot.tenantId(), puller[0], puller[1], boot.managementEndpoint());
        String session =
            berth
                .portal()
                .sessionFor(acr.owner, "owner", boot.objectId(), Instant.now().plusSeconds(3600));
        Calls calls =
            new Calls(
                HttpClient.newBuilder()
                    .sslContext(Https.trusting(dataDir.resolve("tls/ca.pem")))
                    .build(),
                boot,
                acr.owner,
                "https://127.0.0.1:" + berth.port(),
                server,
                admin,
                puller,
                entraForAcr,
                session);
        var granted = calls.registryToken();
        assertThat(granted.statusCode()).isEqualTo(200);
        String bearer = json(granted).path("access_token").asText();

        postgres.pause();

        var arm = calls.armGroups();
        assertThat(arm.statusCode()).as(arm.body()).isEqualTo(503);
        assertThat(json(arm).at("/error/code").asText()).isEqualTo("ServiceUnavailable");
        assertThat(arm.headers().firstValue("Retry-After")).hasValue("5");

        var entra = calls.entraToken();
        assertThat(entra.statusCode()).as(entra.body()).isEqualTo(503);
        assertThat(json(entra).path("error").asText()).isEqualTo("temporarily_unavailable");
        assertThat(entra.headers().firstValue("Retry-After")).hasValue("5");

        for (var registry :
            new HttpResponse<?>[] {calls.registryToken(), calls.exchange(), calls.tags(bearer)}) {
          @SuppressWarnings("unchecked")
          var r = (HttpResponse<String>) registry;
          assertThat(r.statusCode()).as(r.uri() + " " + r.body()).isEqualTo(503);
          assertThat(json(r).at("/errors/0/code").asText()).isEqualTo("UNAVAILABLE");
          assertThat(r.headers().firstValue("Retry-After")).hasValue("5");
        }

        var page = calls.portalHome();
        assertThat(page.statusCode()).as(page.body()).isEqualTo(503);
        assertThat(page.headers().firstValue("Content-Type"))
            .hasValueSatisfying(t -> assertThat(t).startsWith("text/html"));
        assertThat(page.body()).contains("cannot reach its resource store");

        postgres.resume();

        assertThat(calls.armGroups().statusCode()).isEqualTo(200);
        assertThat(calls.entraToken().statusCode()).isEqualTo(200);
        assertThat(calls.registryToken().statusCode()).isEqualTo(200);
        assertThat(calls.exchange().statusCode()).isEqualTo(200);
        assertThat(calls.tags(bearer).statusCode()).isEqualTo(404); // nothing pushed yet
        assertThat(calls.portalHome().statusCode()).isEqualTo(200);
      }
    }
  }

  private static JsonNode json(HttpResponse<String> r) throws Exception {
    return Https.JSON.readTree(r.body());
  }

  /** The calls a user's clients make, each as they make it. */
  private record Calls(
      HttpClient http,
      BootstrapInfo boot,
      String owner,
      String portal,
      String loginServer,
      String admin,
      String[] puller,
      String entraForAcr,
      String session) {

    HttpResponse<String> armGroups() throws Exception {
      return send(
          HttpRequest.newBuilder(
                  URI.create(
                      boot.managementEndpoint()
                          + "/subscriptions/"
                          + boot.subscriptionId()
                          + "/resourcegroups?api-version=2021-04-01"))
              .header("Authorization", "Bearer " + owner));
    }

    /** Client credentials, as azure-identity asks. */
    HttpResponse<String> entraToken() throws Exception {
      String form =
          "grant_type=client_credentials&client_id="
              + puller[0]
              + "&client_secret="
              + java.net.URLEncoder.encode(puller[1], StandardCharsets.UTF_8)
              + "&scope="
              + java.net.URLEncoder.encode(
                  boot.managementEndpoint() + "/.default", StandardCharsets.UTF_8);
      return send(
          HttpRequest.newBuilder(
                  URI.create(
                      boot.managementEndpoint() + "/" + boot.tenantId() + "/oauth2/v2.0/token"))
              .header("Content-Type", "application/x-www-form-urlencoded")
              .POST(HttpRequest.BodyPublishers.ofString(form)));
    }

    /** A Docker client's token request with the admin user's password. */
    HttpResponse<String> registryToken() throws Exception {
      return send(
          HttpRequest.newBuilder(
                  URI.create(
                      "https://"
                          + loginServer
                          + "/oauth2/token?service="
                          + loginServer
                          + "&scope=repository:web:pull"))
              .header(
                  "Authorization",
                  "Basic "
                      + Base64.getEncoder()
                          .encodeToString(admin.getBytes(StandardCharsets.UTF_8))));
    }

    /** az acr login's exchange of an Entra token for a refresh token. */
    HttpResponse<String> exchange() throws Exception {
      String form =
          "grant_type=access_token&service="
              + loginServer
              + "&tenant="
              + boot.tenantId()
              + "&access_token="
              + entraForAcr;
      return send(
          HttpRequest.newBuilder(URI.create("https://" + loginServer + "/oauth2/exchange"))
              .header("Content-Type", "application/x-www-form-urlencoded")
              .POST(HttpRequest.BodyPublishers.ofString(form)));
    }

    /** A data-plane call with an access token granted before the outage. */
    HttpResponse<String> tags(String bearer) throws Exception {
      return send(
          HttpRequest.newBuilder(URI.create("https://" + loginServer + "/v2/web/tags/list"))
              .header("Authorization", "Bearer " + bearer));
    }

    HttpResponse<String> portalHome() throws Exception {
      return send(
          HttpRequest.newBuilder(URI.create(portal + "/portal"))
              .header("Cookie", PortalPages.SESSION + "=" + session));
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
      return http.send(
          request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    }
  }
}
