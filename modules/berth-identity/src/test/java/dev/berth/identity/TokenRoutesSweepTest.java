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
import java.util.Optional;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every route of the token service, generated from its route table: each token route refuses a
 * request without a secret, with a wrong one, from a deleted service principal and for another
 * tenant, in Entra's words, and a made-up authorization code; the authorize routes answer a request
 * that is not the portal's with an error page and never a redirect; every other route is a public
 * document (discovery, JWKS) that holds no private key material. A new route that is none of these
 * fails the sweep.
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
    InMemoryResourceStore store = new InMemoryResourceStore();
    directory = new StoreDirectory(store, TENANT, Clock.systemUTC());
    TokenIssuer issuer = new TokenIssuer(config, keys);
    // As the server wires it: people's sign-in included.
    UserSignIn signIn =
        new UserSignIn(config, new UserAccounts(store, TENANT, Clock.systemUTC()), issuer);
    routes = new TokenEndpoints(config, directory, issuer, keys, Optional.of(signIn)).routes();
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
    int authorizeRoutes = 0;
    for (Route<RouteHandler> r : routes) {
      String p = path(r, TENANT);
      if (p.endsWith("/oauth2/v2.0/authorize")) {
        authorizeRoutes++;
        HttpResponse<String> refused =
            r.method().equals("POST")
                ? post(p + "?client_id=x", "username", "live", "password", "whatever-123")
                : http.send(
                    HttpRequest.newBuilder(server.base().resolve(p + "?client_id=x")).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
        if (refused.statusCode() != 400 || refused.headers().firstValue("Location").isPresent()) {
          wrong.add(r.method() + " " + p + " for another client → " + refused.statusCode());
        }
        continue;
      }
      if (r.method().equals("POST")) {
        expect(
            wrong,
            p + " with a made-up code",
            post(
                p,
                "grant_type",
                "authorization_code",
                "client_id",
                "berth-portal",
                "code",
                "made-up",
                "redirect_uri",
                server.base() + "/portal/signin/callback",
                "code_verifier",
                "v".repeat(43)),
            400,
            p.contains("v2.0") ? "invalid_grant" : "unsupported_grant_type",
            p.contains("v2.0") ? 70000 : 70003);
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
    assertThat(authorizeRoutes).isEqualTo(2);
  }
}
