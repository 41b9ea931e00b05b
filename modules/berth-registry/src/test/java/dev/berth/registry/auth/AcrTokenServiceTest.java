package dev.berth.registry.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.api.Principal;
import dev.berth.api.ResourceId;
import dev.berth.http.Json;
import dev.berth.identity.BuiltInRoles;
import dev.berth.store.Query;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The exchange and token endpoints, and access with their tokens, over real HTTP. */
class AcrTokenServiceTest {

  private static final String ARM = "https://management.azure.com/";
  private static final String ACR = "https://containerregistry.azure.net";

  @TempDir Path keys;
  private AuthFixture fx;
  private final HttpClient http = HttpClient.newHttpClient();
  private Principal sp;

  @BeforeEach
  void start() throws Exception {
    fx = new AuthFixture(keys);
    sp = fx.directory.createServicePrincipal("pull-id").principal();
  }

  @AfterEach
  void stop() throws Exception {
    fx.close();
  }

  @Test
  void exchangesArmAndAcrAudienceTokensWhileTheArmPolicyIsEnabled() throws Exception {
    for (String audience :
        new String[] {ARM, "https://management.core.windows.net/", ACR, ACR + "/"}) {
      var r = exchange(fx.entraToken(sp, audience));
      assertThat(r.statusCode()).as(audience).isEqualTo(200);
      JsonNode claims = payload(json(r).path("refresh_token").asText());
      assertThat(claims.path("sub").asText()).isEqualTo(sp.objectId());
      assertThat(claims.path("iss").asText()).isEqualTo("Azure Container Registry");
      assertThat(claims.path("aud").asText()).isEqualTo(AuthFixture.LOGIN_SERVER);
      assertThat(claims.path("grant_type").asText()).isEqualTo("refresh_token");
      assertThat(claims.path("tenant").asText()).isEqualTo(AuthFixture.TENANT);
      assertThat(claims.path("exp").asLong() - claims.path("iat").asLong()).isEqualTo(3 * 3600);
      assertThat(claims.has("permissions") && claims.has("roles") && claims.has("jti")).isTrue();
    }
  }

  @Test
  void refusesArmAudienceTokensWhenThePolicyIsDisabledAndSaysHowToFixIt() throws Exception {
    fx.registryProperties
        .with("policies")
        .with("azureADAuthenticationAsArmPolicy")
        .put("status", "disabled");
    fx.saveRegistry();
    var refused = exchange(fx.entraToken(sp, ARM));
    assertThat(refused.statusCode()).isEqualTo(401);
    JsonNode error = json(refused).path("errors").get(0);
    assertThat(error.path("code").asText()).isEqualTo("UNAUTHORIZED");
    assertThat(error.path("message").asText())
        .isEqualTo(
            "ARM-audience tokens are not accepted by registry 'myacr': its"
                + " azureADAuthenticationAsArmPolicy is disabled. Request a token for"
                + " https://containerregistry.azure.net, or run: az acr config"
                + " authentication-as-arm update -r myacr --status enabled");
    assertThat(exchange(fx.entraToken(sp, ACR)).statusCode()).isEqualTo(200);
  }

  @Test
  void refusesForgedTokensAndOtherServicesAndDeprecatedGrantsWithTheReason() throws Exception {
    String token = fx.entraToken(sp, ACR);
    String forged = token.substring(0, token.lastIndexOf('.') + 1) + "AAAA";
    assertThat(json(exchange(forged)).toString()).contains("not signed by Berth");
    var wrongService =
        post(
            "/oauth2/exchange",
            Map.of("grant_type", "access_token", "service", "other:1", "access_token", token));
    assertThat(wrongService.statusCode()).isEqualTo(401);
    assertThat(wrongService.body()).contains("login server is 'localhost:5001'");
    var deprecated =
        post(
            "/oauth2/exchange",
            Map.of(
                "grant_type",
                "refresh_token",
                "service",
                AuthFixture.LOGIN_SERVER,
                "refresh_token",
                "x"));
    assertThat(deprecated.statusCode()).isEqualTo(401);
    assertThat(deprecated.body()).contains("deprecated");
    var get =
        http.send(
            HttpRequest.newBuilder(fx.base().resolve("/oauth2/exchange")).GET().build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(get.statusCode()).isEqualTo(404);
  }

  @Test
  void acrPullCanPullButNotPush() throws Exception {
    fx.assignRole(sp.objectId(), BuiltInRoles.ACR_PULL, null);
    String access = accessToken(refreshToken(), "repository:api:pull,push");
    JsonNode claims = payload(access);
    assertThat(claims.path("access").toString())
        .isEqualTo("[{\"type\":\"repository\",\"name\":\"api\",\"actions\":[\"pull\"]}]");
    assertThat(claims.path("grant_type").asText()).isEqualTo("access_token");
    assertThat(claims.path("exp").asLong() - claims.path("iat").asLong()).isEqualTo(75 * 60);
    assertThat(fx.v2("GET", "/v2/api/manifests/latest", "Bearer " + access).statusCode())
        .isEqualTo(200);
    var push = fx.v2("PUT", "/v2/api/manifests/latest", "Bearer " + access);
    assertThat(push.statusCode()).isEqualTo(401);
    assertThat(push.headers().firstValue("Www-Authenticate").orElseThrow())
        .isEqualTo(
            "Bearer realm=\"https://localhost:5001/oauth2/token\",service=\"localhost:5001\","
                + "scope=\"repository:api:push\",error=\"insufficient_scope\"");
  }

  @Test
  void acrPushCanPush() throws Exception {
    fx.assignRole(sp.objectId(), BuiltInRoles.ACR_PUSH, null);
    String access = accessToken(refreshToken(), "repository:api:pull,push");
    assertThat(fx.v2("PUT", "/v2/api/manifests/latest", "Bearer " + access).statusCode())
        .isEqualTo(200);
  }

  @Test
  void abacRepositoryRoleLimitedToTeamAPullsTeamAOnlyAndAcrPullIsIgnored() throws Exception {
    fx.registryProperties.put("roleAssignmentMode", "AbacRepositoryPermissions");
    fx.saveRegistry();
    fx.assignRole(sp.objectId(), BuiltInRoles.ACR_PULL, null);
    fx.assignRole(
        sp.objectId(),
        BuiltInRoles.REPOSITORY_READER,
        "((!(ActionMatches{'Microsoft.ContainerRegistry/registries/repositories/content/read'})"
            + " AND !(ActionMatches{'Microsoft.ContainerRegistry/registries/repositories/metadata/read'}))"
            + " OR (@Request[Microsoft.ContainerRegistry/registries/repositories:name]"
            + " StringStartsWithIgnoreCase 'team-a/'))");
    String refresh = refreshToken();
    assertThat(payload(refresh).has("aad_identity")).isTrue();
    JsonNode access =
        payload(accessToken(refresh, "repository:team-a/x:pull repository:team-b/y:pull"));
    assertThat(access.path("access").toString())
        .isEqualTo("[{\"type\":\"repository\",\"name\":\"team-a/x\",\"actions\":[\"pull\"]}]");
    String token = accessToken(refresh, "repository:team-b/y:pull");
    assertThat(fx.v2("GET", "/v2/team-b/y/manifests/1", "Bearer " + token).statusCode())
        .isEqualTo(401);
  }

  @Test
  void postTokenWithRepeatedScopesGrantsEach() throws Exception {
    fx.assignRole(sp.objectId(), BuiltInRoles.ACR_PUSH, null);
    String body =
        "grant_type=refresh_token&service=localhost%3A5001&scope=repository%3Aa%3Apull"
            + "&scope=repository%3Ab%3Apush&refresh_token="
            + refreshToken();
    var r =
        http.send(
            HttpRequest.newBuilder(fx.base().resolve("/oauth2/token?api-version=2021-07-01"))
                .header("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(payload(json(r).path("access_token").asText()).path("access")).hasSize(2);
  }

  @Test
  void nullGuidWithARefreshTokenWorksOnTheTokenEndpoint() throws Exception {
    fx.assignRole(sp.objectId(), BuiltInRoles.ACR_PULL, null);
    var r =
        fx.getToken(
            "repository:api:pull", basic("00000000-0000-0000-0000-000000000000", refreshToken()));
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(
            payload(json(r).path("access_token").asText())
                .path("access")
                .get(0)
                .path("actions")
                .toString())
        .isEqualTo("[\"pull\"]");
  }

  @Test
  void aDeletedServicePrincipalsRegistrySessionsEndAtOnce() throws Exception {
    fx.assignRole(sp.objectId(), BuiltInRoles.ACR_PUSH, null);
    String refresh = refreshToken();
    String access = accessToken(refresh, "repository:api:pull,push");
    assertThat(payload(access).path("oid").asText()).isEqualTo(sp.objectId());
    assertThat(fx.v2("PUT", "/v2/api/manifests/latest", "Bearer " + access).statusCode())
        .isEqualTo(200);

    assertThat(fx.directory.deleteServicePrincipal(sp.appId())).isTrue();

    assertThat(
            fx.store.stream(
                Query.descendants(ResourceId.root(), "Microsoft.Authorization/roleAssignments")))
        .as("its role assignments went with it")
        .isEmpty();
    var refreshed =
        post(
            "/oauth2/token",
            Map.of(
                "grant_type",
                "refresh_token",
                "service",
                AuthFixture.LOGIN_SERVER,
                "scope",
                "repository:api:pull,push",
                "refresh_token",
                refresh));
    assertThat(refreshed.statusCode()).isEqualTo(401);
    JsonNode error = json(refreshed).path("errors").get(0);
    assertThat(error.path("code").asText()).isEqualTo("UNAUTHORIZED");
    assertThat(error.path("message").asText())
        .contains("'" + sp.objectId() + "'")
        .contains("no longer exists");
    var nullGuid =
        fx.getToken("repository:api:pull", basic("00000000-0000-0000-0000-000000000000", refresh));
    assertThat(nullGuid.statusCode()).isEqualTo(401);
    assertThat(json(nullGuid).at("/errors/0/code").asText()).isEqualTo("UNAUTHORIZED");
    var accessAsPassword =
        fx.getToken("repository:api:pull", basic("00000000-0000-0000-0000-000000000000", access));
    assertThat(accessAsPassword.statusCode()).isEqualTo(401);

    var push = fx.v2("PUT", "/v2/api/manifests/latest", "Bearer " + access);
    assertThat(push.statusCode()).isEqualTo(401);
    assertThat(json(push).at("/errors/0/code").asText()).isEqualTo("UNAUTHORIZED");
    assertThat(push.headers().firstValue("Www-Authenticate").orElseThrow())
        .contains("error=\"invalid_token\"");
  }

  @Test
  void tokensOfADeletedRegistryOpenNothingInOneCreatedLaterUnderItsName() throws Exception {
    fx.assignRole(sp.objectId(), BuiltInRoles.ACR_PULL, null);
    String refresh = refreshToken();
    String access = accessToken(refresh, "repository:api:pull");
    assertThat(fx.v2("GET", "/v2/api/manifests/1", "Bearer " + access).statusCode()).isEqualTo(200);

    // Same name, same login server ({name}.{domain} comes back with the name), new instance.
    fx.recreateRegistry();

    var pull = fx.v2("GET", "/v2/api/manifests/1", "Bearer " + access);
    assertThat(pull.statusCode()).isEqualTo(401);
    assertThat(json(pull).at("/errors/0/code").asText()).isEqualTo("UNAUTHORIZED");
    assertThat(pull.headers().firstValue("Www-Authenticate").orElseThrow())
        .contains("error=\"invalid_token\"");
    var renewed =
        post(
            "/oauth2/token",
            Map.of(
                "grant_type",
                "refresh_token",
                "service",
                AuthFixture.LOGIN_SERVER,
                "scope",
                "repository:api:pull",
                "refresh_token",
                refresh));
    assertThat(renewed.statusCode()).isEqualTo(401);
    assertThat(json(renewed).at("/errors/0/code").asText()).isEqualTo("UNAUTHORIZED");
    assertThat(json(renewed).at("/errors/0/message").asText())
        .contains("issued by an earlier registry named 'myacr'");
    var asPassword =
        fx.getToken("repository:api:pull", basic("00000000-0000-0000-0000-000000000000", access));
    assertThat(asPassword.statusCode()).isEqualTo(401);
    assertThat(json(asPassword).at("/errors/0/code").asText()).isEqualTo("UNAUTHORIZED");

    // The new registry's own tokens work, for the same principal and role.
    String fresh = accessToken(refreshToken(), "repository:api:pull");
    assertThat(payload(fresh).path("registry_instance").asText()).hasSize(32);
    assertThat(fx.v2("GET", "/v2/api/manifests/1", "Bearer " + fresh).statusCode()).isEqualTo(200);
  }

  // ---- helpers --------------------------------------------------------------------------------

  private String refreshToken() throws Exception {
    var r = exchange(fx.entraToken(sp, ARM));
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return json(r).path("refresh_token").asText();
  }

  private String accessToken(String refresh, String scope) throws Exception {
    var r =
        post(
            "/oauth2/token",
            Map.of(
                "grant_type",
                "refresh_token",
                "service",
                AuthFixture.LOGIN_SERVER,
                "scope",
                scope,
                "refresh_token",
                refresh));
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return json(r).path("access_token").asText();
  }

  private HttpResponse<String> exchange(String entraToken) throws Exception {
    Map<String, String> form = new LinkedHashMap<>();
    form.put("grant_type", "access_token");
    form.put("service", AuthFixture.LOGIN_SERVER);
    form.put("tenant", AuthFixture.TENANT);
    form.put("access_token", entraToken);
    return post("/oauth2/exchange?api-version=2021-07-01", form);
  }

  HttpResponse<String> post(String path, Map<String, String> form) throws Exception {
    String body =
        form.entrySet().stream()
            .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
            .collect(Collectors.joining("&"));
    return http.send(
        HttpRequest.newBuilder(fx.base().resolve(path))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  static String basic(String user, String password) {
    return "Basic "
        + Base64.getEncoder()
            .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  static JsonNode json(HttpResponse<String> r) throws Exception {
    return Json.parse(r.body().getBytes(StandardCharsets.UTF_8));
  }

  /** Decodes a JWT payload as the Azure SDK for Java does: the standard, non-URL-safe decoder. */
  static JsonNode payload(String jwt) throws Exception {
    String part = jwt.split("\\.")[1];
    return Json.parse(Base64.getDecoder().decode(part + "=".repeat((4 - part.length() % 4) % 4)));
  }
}
