package dev.berth.registry.auth;

import static dev.berth.registry.auth.AcrTokenServiceTest.basic;
import static dev.berth.registry.auth.AcrTokenServiceTest.json;
import static dev.berth.registry.auth.AcrTokenServiceTest.payload;
import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.api.ResourceId;
import dev.berth.api.secrets.SecretSlot;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Basic, anonymous and network-rule access to the data plane and the token endpoint. */
class AcrAccessTest {

  private static final String DENIED_127_0_0_1 =
      "{\"errors\":[{\"code\":\"DENIED\",\"message\":\"client with IP '127.0.0.1' is not allowed"
          + " access. Refer https://aka.ms/acr/firewall to grant access.\"}]}";

  @TempDir Path keys;
  private AuthFixture fx;
  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeEach
  void start() throws Exception {
    fx = new AuthFixture(keys);
    fx.setAdminPassword("admin-secret");
  }

  @AfterEach
  void stop() throws Exception {
    fx.close();
  }

  @Test
  void challengesUnauthenticatedRequestsInAcrsExactFormat() throws Exception {
    var r = fx.v2("GET", "/v2/hello-world/manifests/latest", null);
    assertThat(r.statusCode()).isEqualTo(401);
    assertThat(r.headers().firstValue("Www-Authenticate").orElseThrow())
        .isEqualTo(
            "Bearer realm=\"https://localhost:5001/oauth2/token\",service=\"localhost:5001\","
                + "scope=\"repository:hello-world:pull\"");
    assertThat(r.body())
        .isEqualTo(
            "{\"errors\":[{\"code\":\"UNAUTHORIZED\",\"message\":\"authentication required, visit"
                + " https://aka.ms/acr/authorization for more information.\",\"detail\":[{\"Type\":"
                + "\"repository\",\"Name\":\"hello-world\",\"Action\":\"pull\"}]}]}");
    var root = fx.v2("GET", "/v2/", null);
    assertThat(root.headers().firstValue("Www-Authenticate").orElseThrow())
        .isEqualTo(
            "Bearer realm=\"https://localhost:5001/oauth2/token\",service=\"localhost:5001\"");
    var bad = fx.v2("GET", "/v2/hello-world/manifests/latest", "Bearer not-a-token");
    assertThat(bad.headers().firstValue("Www-Authenticate").orElseThrow())
        .endsWith("scope=\"repository:hello-world:pull\",error=\"invalid_token\"");
  }

  @Test
  void adminUserGetsEverythingWithBasicOnTheTokenEndpointAndOnV2() throws Exception {
    var r =
        fx.getToken("repository:api:pull,push registry:catalog:*", basic("myacr", "admin-secret"));
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(payload(json(r).path("access_token").asText()).path("access")).hasSize(2);
    assertThat(
            fx.v2("PUT", "/v2/api/manifests/1", basic("myacr", "second-admin-secret")).statusCode())
        .isEqualTo(200);
    assertThat(fx.getToken("repository:api:pull", basic("myacr", "wrong")).statusCode())
        .isEqualTo(401);
  }

  @Test
  void anAdminPasswordStoredInClearOrSealedForAnotherRegistryOpensNothing() throws Exception {
    // Only sealed passwords count: a clear one (a store written by hand, an old Berth not yet
    // migrated) is refused, and so is a value sealed for another registry's admin user.
    var other =
        ResourceId.parse(
            "/subscriptions/s1/resourceGroups/rg2/providers/Microsoft.ContainerRegistry/registries/other");
    fx.setAdminPasswordValues(
        "admin-secret",
        fx.sealer.seal("other-secret", SecretSlot.adminPassword(other, "password2")));

    for (String password : new String[] {"admin-secret", "other-secret"}) {
      var r = fx.getToken("repository:api:pull", basic("myacr", password));
      assertThat(r.statusCode()).as(password).isEqualTo(401);
      assertThat(json(r).at("/errors/0/code").asText()).isEqualTo("UNAUTHORIZED");
      assertThat(json(r).at("/errors/0/message").asText())
          .isEqualTo("incorrect username or password for registry 'myacr'");
    }
  }

  @Test
  void disabledAdminUserIsRefusedWithTheReasonAndTheFix() throws Exception {
    fx.registryProperties.put("adminUserEnabled", false);
    fx.saveRegistry();
    var get = fx.getToken("repository:api:pull", basic("myacr", "admin-secret"));
    assertThat(get.statusCode()).isEqualTo(401);
    assertThat(json(get).path("errors").get(0).path("message").asText())
        .startsWith("the admin user of registry 'myacr' is disabled")
        .contains("az acr update -n myacr --admin-enabled true");
    var form =
        http.send(
            HttpRequest.newBuilder(fx.base().resolve("/oauth2/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        "grant_type=password&service=localhost%3A5001&scope=repository%3Aapi%3Apull"
                            + "&username=myacr&password=admin-secret"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(form.statusCode()).isEqualTo(401);
    assertThat(form.body()).contains("is disabled");
  }

  @Test
  void scopeMapTokenIsLimitedToItsRepository() throws Exception {
    fx.scopeMapToken(
        "ci",
        "tok-secret",
        "enabled",
        null,
        "repositories/api/content/read",
        "repositories/api/content/write");
    var api = fx.getToken("repository:api:pull,push", basic("ci", "tok-secret"));
    assertThat(
            payload(json(api).path("access_token").asText())
                .path("access")
                .get(0)
                .path("actions")
                .toString())
        .isEqualTo("[\"pull\",\"push\"]");
    var other = fx.getToken("repository:web:pull", basic("ci", "tok-secret"));
    assertThat(other.statusCode()).isEqualTo(200);
    String token = json(other).path("access_token").asText();
    assertThat(payload(token).path("access")).isEmpty();
    assertThat(fx.v2("GET", "/v2/web/manifests/1", "Bearer " + token).statusCode()).isEqualTo(401);
    assertThat(fx.v2("GET", "/v2/api/manifests/1", basic("ci", "tok-secret")).statusCode())
        .isEqualTo(200);
    assertThat(fx.v2("GET", "/v2/web/manifests/1", basic("ci", "tok-secret")).statusCode())
        .isEqualTo(401);
  }

  @Test
  void disabledTokensAndExpiredPasswordsAreRefusedSayingSo() throws Exception {
    fx.scopeMapToken("off", "pw1", "disabled", null, "repositories/api/content/read");
    fx.scopeMapToken(
        "old", "pw2", "enabled", "2020-01-01T00:00:00Z", "repositories/api/content/read");
    var off = fx.getToken("repository:api:pull", basic("off", "pw1"));
    assertThat(off.statusCode()).isEqualTo(401);
    assertThat(off.body()).contains("token 'off' of registry 'myacr' is disabled");
    var old = fx.getToken("repository:api:pull", basic("old", "pw2"));
    assertThat(old.statusCode()).isEqualTo(401);
    assertThat(old.body()).contains("has expired");
  }

  @Test
  void anonymousPullWorksWhenEnabledButNeverPushes() throws Exception {
    assertThat(fx.getToken("repository:api:pull", null).statusCode()).isEqualTo(401);
    fx.registryProperties.put("anonymousPullEnabled", true);
    fx.saveRegistry();
    var r = fx.getToken("repository:api:pull,push", null);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(
            payload(json(r).path("access_token").asText())
                .path("access")
                .get(0)
                .path("actions")
                .toString())
        .isEqualTo("[\"pull\"]");
    assertThat(fx.v2("GET", "/v2/api/manifests/1", null).statusCode()).isEqualTo(200);
    assertThat(fx.v2("PUT", "/v2/api/manifests/1", null).statusCode()).isEqualTo(401);
    assertThat(fx.v2("GET", "/v2/", null).statusCode()).isEqualTo(401);
  }

  @Test
  void ipRulesLetAllowedAddressesInAndKeepOthersOutWith403() throws Exception {
    fx.registryProperties
        .putObject("networkRuleSet")
        .put("defaultAction", "Deny")
        .putArray("ipRules")
        .addObject()
        .put("action", "Allow")
        .put("value", "127.0.0.2");
    fx.saveRegistry();
    String allowed = rawGet("127.0.0.2", "/v2/api/manifests/1", basic("myacr", "admin-secret"));
    assertThat(allowed).startsWith("HTTP/1.1 200");
    var denied = fx.v2("GET", "/v2/api/manifests/1", basic("myacr", "admin-secret"));
    assertThat(denied.statusCode()).isEqualTo(403);
    assertThat(denied.body()).isEqualTo(DENIED_127_0_0_1);
    var token = fx.getToken("repository:api:pull", basic("myacr", "admin-secret"));
    assertThat(token.statusCode()).isEqualTo(403);
  }

  @Test
  void anIpRuleMarkedDenyAdmitsNobodyForAllowIsAcrsOnlyRuleAction() throws Exception {
    fx.registryProperties
        .putObject("networkRuleSet")
        .put("defaultAction", "Deny")
        .putArray("ipRules")
        .addObject()
        .put("action", "Deny")
        .put("value", "127.0.0.1");
    fx.saveRegistry();
    var denied = fx.v2("GET", "/v2/api/manifests/1", basic("myacr", "admin-secret"));
    assertThat(denied.statusCode()).isEqualTo(403);
    assertThat(denied.body()).isEqualTo(DENIED_127_0_0_1);
  }

  @Test
  void aTokenPasswordWhoseExpiryCannotBeReadIsRefusedAsExpired() throws Exception {
    fx.scopeMapToken("odd", "pw3", "enabled", "next tuesday", "repositories/api/content/read");
    var odd = fx.getToken("repository:api:pull", basic("odd", "pw3"));
    assertThat(odd.statusCode()).isEqualTo(401);
    assertThat(json(odd).path("errors").get(0).path("code").asText()).isEqualTo("UNAUTHORIZED");
    assertThat(odd.body()).contains("password1 has an expiry that cannot be read");
  }

  @Test
  void publicNetworkAccessDisabledRefusesEveryone() throws Exception {
    fx.registryProperties.put("publicNetworkAccess", "Disabled");
    fx.saveRegistry();
    var denied = fx.v2("GET", "/v2/", null);
    assertThat(denied.statusCode()).isEqualTo(403);
    assertThat(denied.body()).isEqualTo(DENIED_127_0_0_1);
    assertThat(rawGet("127.0.0.2", "/v2/", null)).startsWith("HTTP/1.1 403");
  }

  // ---- helpers --------------------------------------------------------------------------------

  /**
   * A minimal HTTP/1.1 GET from a socket bound to {@code localAddress}, returning the raw reply.
   */
  private String rawGet(String localAddress, String path, String authorization) throws Exception {
    try (Socket socket = new Socket()) {
      socket.bind(new InetSocketAddress(localAddress, 0));
      socket.connect(new InetSocketAddress("127.0.0.1", fx.port()), 5000);
      socket.setSoTimeout(5000);
      String request =
          "GET "
              + path
              + " HTTP/1.1\r\nHost: localhost:5001\r\nConnection: close\r\n"
              + (authorization == null ? "" : "Authorization: " + authorization + "\r\n")
              + "\r\n";
      OutputStream out = socket.getOutputStream();
      out.write(request.getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = socket.getInputStream();
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
