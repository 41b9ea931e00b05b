package dev.berth.identity;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.http.Json;
import dev.berth.http.Route;
import dev.berth.http.RouteHandler;
import dev.berth.store.memory.InMemoryResourceStore;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every route of the token service, generated from its route table: each token route refuses a
 * request without a secret, with a wrong one, from a deleted service principal and for another
 * tenant, in Entra's words; every other route is a public document (discovery, JWKS) that holds no
 * private key material. A new route that is neither fails the sweep.
 */
class TokenRoutesSweepTest {

  static final String TENANT = "72f988bf-0000-4000-8000-000000000002";
  static final String ARM = "https://127.0.0.1:8443/";
  private static final Pattern PUBLIC =
      Pattern.compile(
          ".*/(\\.well-known/openid-configuration|discovery/(v2\\.0/)?keys|discovery/instance)");

  @TempDir Path keyDir;

  private List<Route<RouteHandler>> routes;
  private StoreDirectory directory;
  private TestServer server;
  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeEach
  void start() throws Exception {
    IdentityConfig config = IdentityConfig.of(TENANT, URI.create("https://127.0.0.1:8443"), keyDir);
    SigningKeys keys = SigningKeys.loadOrCreate(keyDir);
    directory = new StoreDirectory(new InMemoryResourceStore(), TENANT, Clock.systemUTC());
    routes = new TokenEndpoints(config, directory, new TokenIssuer(config, keys), keys).routes();
    server = TestServer.start(routes);
  }

  @AfterEach
  void stop() throws Exception {
    server.close();
    http.close();
  }

  private static String path(Route<RouteHandler> r, String tenant) {
    return r.pattern().toString().replace("{tenant}", tenant);
  }

  private HttpResponse<String> post(String path, String... form) throws Exception {
    StringBuilder body = new StringBuilder();
    for (int i = 0; i < form.length; i += 2) {
      body.append(i == 0 ? "" : "&")
          .append(form[i])
          .append('=')
          .append(URLEncoder.encode(form[i + 1], StandardCharsets.UTF_8));
    }
    return http.send(
        HttpRequest.newBuilder(server.base().resolve(path))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(body.toString()))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static void expect(
      List<String> wrong, String what, HttpResponse<String> r, int status, String error, int code)
      throws Exception {
    JsonNode body = r.body().isEmpty() ? Json.object() : Json.MAPPER.readTree(r.body());
    if (r.statusCode() != status
        || !error.equals(body.path("error").asText())
        || !body.path("error_codes").toString().equals("[" + code + "]")) {
      wrong.add(what + " → " + r.statusCode() + " " + r.body());
    }
  }

  @Test
  void everyTokenRouteRefusesWhoeverCannotProveASecretAndEveryOtherRouteIsPublic()
      throws Exception {
    var live = directory.createServicePrincipal("live");
    var gone = directory.createServicePrincipal("gone");
    assertThat(directory.deleteServicePrincipal(gone.principal().appId())).isTrue();
    String scope = ARM + ".default";
    List<String> wrong = new ArrayList<>();
    int tokenRoutes = 0;
    for (Route<RouteHandler> r : routes) {
      String p = path(r, TENANT);
      if (r.method().equals("POST")) {
        tokenRoutes++;
        String live1 = live.principal().appId();
        expect(
            wrong,
            p + " without a secret",
            post(p, "grant_type", "client_credentials", "client_id", live1, "scope", scope),
            401,
            "invalid_client",
            7000218);
        expect(
            wrong,
            p + " with a wrong secret",
            post(
                p,
                "grant_type",
                "client_credentials",
                "client_id",
                live1,
                "client_secret",
                "wrong",
                "scope",
                scope),
            401,
            "invalid_client",
            7000215);
        expect(
            wrong,
            p + " as a deleted principal",
            post(
                p,
                "grant_type",
                "client_credentials",
                "client_id",
                gone.principal().appId(),
                "client_secret",
                gone.clientSecret(),
                "scope",
                scope),
            400,
            "unauthorized_client",
            700016);
        if (r.pattern().toString().contains("{tenant}")) {
          expect(
              wrong,
              p + " for another tenant",
              post(
                  path(r, "00000000-0000-4000-8000-0000000000ff"),
                  "grant_type",
                  "client_credentials",
                  "client_id",
                  live1,
                  "client_secret",
                  live.clientSecret(),
                  "scope",
                  scope),
              400,
              "invalid_request",
              90002);
        }
      } else {
        assertThat(r.method()).isEqualTo("GET");
        assertThat(p).as("a route that is not a token route must be public").matches(PUBLIC);
        var doc =
            http.send(
                HttpRequest.newBuilder(server.base().resolve(p)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(doc.statusCode()).as(p).isEqualTo(200);
        // A JWK's private members are d, p, q, dp, dq, qi: none may be served.
        assertThat(Json.MAPPER.readTree(doc.body()).findValues("d")).as(p).isEmpty();
        assertThat(Json.MAPPER.readTree(doc.body()).findValues("qi")).as(p).isEmpty();
      }
    }
    assertThat(wrong).isEmpty();
    assertThat(tokenRoutes).isEqualTo(3);
  }
}
