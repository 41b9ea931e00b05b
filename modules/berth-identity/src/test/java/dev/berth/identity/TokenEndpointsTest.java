package dev.berth.identity;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.http.Json;
import dev.berth.store.memory.InMemoryResourceStore;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokenEndpointsTest {

  static final String TENANT = "72f988bf-0000-4000-8000-000000000001";
  static final String ARM = "https://127.0.0.1:8443/";

  @TempDir Path keyDir;

  IdentityConfig config;
  SigningKeys keys;
  StoreDirectory directory;
  Directory.ServicePrincipalCredentials sp;
  TestServer server;
  final HttpClient http = HttpClient.newHttpClient();

  @BeforeEach
  void start() throws Exception {
    config = IdentityConfig.of(TENANT, URI.create("https://127.0.0.1:8443"), keyDir);
    keys = SigningKeys.loadOrCreate(keyDir);
    directory = new StoreDirectory(new InMemoryResourceStore(), TENANT, Clock.systemUTC());
    sp = directory.createServicePrincipal("ci");
    TokenEndpoints endpoints =
        new TokenEndpoints(config, directory, new TokenIssuer(config, keys), keys);
    server = TestServer.start(endpoints.routes());
  }

  @AfterEach
  void stop() throws Exception {
    server.close();
    http.close();
  }

  @Test
  void v2ClientCredentialsGrantReturnsAVerifiableBearerToken() throws Exception {
    var response =
        post(
            "/" + TENANT + "/oauth2/v2.0/token",
            form(
                "grant_type",
                "client_credentials",
                "client_id",
                appId(),
                "client_secret",
                sp.clientSecret(),
                "scope",
                ARM + "/.default"));

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Cache-Control"))
        .hasValueSatisfying(v -> assertThat(v).contains("no-store"));
    JsonNode body = Json.parse(response.body().getBytes(StandardCharsets.UTF_8));
    assertThat(body.path("token_type").asText()).isEqualTo("Bearer");
    assertThat(body.path("expires_in").isNumber()).isTrue();
    assertThat(body.path("expires_in").asLong()).isEqualTo(3599);
    assertThat(body.path("ext_expires_in").asLong()).isEqualTo(3599);
    VerifiedToken verified =
        JwtTokenVerifier.forDirectory(config, keys, directory)
            .verify(body.path("access_token").asText(), config.managementAudiences());
    assertThat(verified.principal()).isEqualTo(sp.principal());
    assertThat(verified.audience()).isEqualTo(ARM);
  }

  @Test
  void adfsEndpointTakesAzsDoubleSlashScopeAndIgnoresClaimsAndClientInfo() throws Exception {
    var response =
        post(
            "/adfs/oauth2/token",
            form(
                "client_id",
                appId(),
                "grant_type",
                "client_credentials",
                "client_info",
                "1",
                "client_secret",
                sp.clientSecret(),
                "claims",
                "{\"access_token\": {\"xms_cc\": {\"values\": [\"CP1\"]}}}",
                "scope",
                "https://127.0.0.1:8443//.default"));

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(claims(response).path("aud").asText()).isEqualTo("https://127.0.0.1:8443/");
    assertThat(claims(response).path("ver").asText()).isEqualTo("2.0");
  }

  @Test
  void basicClientAuthenticationAndTheRegistryAudienceAreAccepted() throws Exception {
    String basic =
        Base64.getEncoder()
            .encodeToString(
                (appId() + ":" + enc(sp.clientSecret())).getBytes(StandardCharsets.UTF_8));
    var request =
        HttpRequest.newBuilder(server.base().resolve("/organizations/oauth2/v2.0/token"))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .header("Authorization", "Basic " + basic)
            .POST(
                HttpRequest.BodyPublishers.ofString(
                    form(
                        "grant_type",
                        "client_credentials",
                        "scope",
                        "https://containerregistry.azure.net/.default")))
            .build();
    var response = http.send(request, HttpResponse.BodyHandlers.ofString());

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(claims(response).path("aud").asText())
        .isEqualTo("https://containerregistry.azure.net");
  }

  @Test
  void v1EndpointTakesResourceAndAnswersWithStringTimes() throws Exception {
    var response =
        post(
            "/" + TENANT + "/oauth2/token",
            form(
                "grant_type",
                "client_credentials",
                "client_id",
                appId(),
                "client_secret",
                sp.clientSecret(),
                "resource",
                "https://management.core.windows.net/"));

    assertThat(response.statusCode()).isEqualTo(200);
    JsonNode body = Json.parse(response.body().getBytes(StandardCharsets.UTF_8));
    assertThat(body.path("resource").asText()).isEqualTo("https://management.core.windows.net/");
    assertThat(body.path("expires_on").isTextual()).isTrue();
    assertThat(body.path("not_before").isTextual()).isTrue();
    long expiresOn = Long.parseLong(body.path("expires_on").asText());
    long notBefore = Long.parseLong(body.path("not_before").asText());
    assertThat(expiresOn - notBefore).isEqualTo(3600);
    assertThat(claims(response).path("ver").asText()).isEqualTo("1.0");
  }

  @Test
  void wrongSecretIsInvalidClientWithEntrasCode() throws Exception {
    var response =
        post(
            "/" + TENANT + "/oauth2/v2.0/token",
            form(
                "grant_type",
                "client_credentials",
                "client_id",
                appId(),
                "client_secret",
                "wrong",
                "scope",
                ARM + ".default"));

    assertThat(response.statusCode()).isEqualTo(401);
    JsonNode body = error(response, "invalid_client", 7000215);
    assertThat(body.path("error_description").asText())
        .startsWith("AADSTS7000215: Invalid client secret provided.");
    assertThat(body.fieldNames())
        .toIterable()
        .containsExactly(
            "error", "error_description", "error_codes", "timestamp", "trace_id", "correlation_id");
  }

  @Test
  void unknownClientIsUnauthorizedClient() throws Exception {
    var response =
        post(
            "/" + TENANT + "/oauth2/v2.0/token",
            form(
                "grant_type",
                "client_credentials",
                "client_id",
                "not-an-app",
                "client_secret",
                "x",
                "scope",
                ARM + ".default"));
    assertThat(response.statusCode()).isEqualTo(400);
    error(response, "unauthorized_client", 700016);
  }

  @Test
  void audienceBerthDoesNotServeIsInvalidResource() throws Exception {
    var response =
        post(
            "/" + TENANT + "/oauth2/v2.0/token",
            form(
                "grant_type",
                "client_credentials",
                "client_id",
                appId(),
                "client_secret",
                sp.clientSecret(),
                "scope",
                "https://vault.azure.net/.default"));
    assertThat(response.statusCode()).isEqualTo(400);
    error(response, "invalid_resource", 500011);
  }

  @Test
  void scopeWithoutDefaultSuffixIsInvalidScope() throws Exception {
    var response =
        post(
            "/" + TENANT + "/oauth2/v2.0/token",
            form(
                "grant_type",
                "client_credentials",
                "client_id",
                appId(),
                "client_secret",
                sp.clientSecret(),
                "scope",
                ARM + "user_impersonation"));
    assertThat(response.statusCode()).isEqualTo(400);
    error(response, "invalid_scope", 1002012);
  }

  @Test
  void otherGrantTypesAndMissingParametersAreRefused() throws Exception {
    var grant = post("/" + TENANT + "/oauth2/v2.0/token", form("grant_type", "password"));
    assertThat(grant.statusCode()).isEqualTo(400);
    error(grant, "unsupported_grant_type", 70003);

    var noGrant = post("/" + TENANT + "/oauth2/v2.0/token", form("client_id", appId()));
    assertThat(noGrant.statusCode()).isEqualTo(400);
    error(noGrant, "invalid_request", 900144);

    var noScope =
        post(
            "/" + TENANT + "/oauth2/v2.0/token",
            form(
                "grant_type",
                "client_credentials",
                "client_id",
                appId(),
                "client_secret",
                sp.clientSecret()));
    assertThat(noScope.statusCode()).isEqualTo(400);
    assertThat(error(noScope, "invalid_request", 900144).path("error_description").asText())
        .contains("'scope'");
  }

  @Test
  void unknownTenantIsRefused() throws Exception {
    var token =
        post(
            "/someone-else/oauth2/v2.0/token",
            form(
                "grant_type",
                "client_credentials",
                "client_id",
                appId(),
                "client_secret",
                sp.clientSecret(),
                "scope",
                ARM + ".default"));
    assertThat(token.statusCode()).isEqualTo(400);
    error(token, "invalid_request", 90002);

    var discovery = get("/someone-else/v2.0/.well-known/openid-configuration");
    assertThat(discovery.statusCode()).isEqualTo(400);
    error(discovery, "invalid_tenant", 90002);
  }

  @Test
  void oversizedBodyIsRefusedBeforeParsing() throws Exception {
    var response = post("/" + TENANT + "/oauth2/v2.0/token", "a=" + "x".repeat(70_000));
    assertThat(response.statusCode()).isEqualTo(413);
    error(response, "invalid_request", 900144);
  }

  @Test
  void adfsDiscoveryNamesTheEndpointsAzNeedsOnTheCalledBaseUrl() throws Exception {
    var response = get("/adfs/.well-known/openid-configuration");
    assertThat(response.statusCode()).isEqualTo(200);
    JsonNode doc = Json.parse(response.body().getBytes(StandardCharsets.UTF_8));
    String base = server.base().toString();
    assertThat(doc.path("token_endpoint").asText()).isEqualTo(base + "/adfs/oauth2/token");
    // The one authorize route there is (UserSignIn), as the tenant's own document names it.
    assertThat(doc.path("authorization_endpoint").asText())
        .isEqualTo(base + "/" + TENANT + "/oauth2/v2.0/authorize")
        .isEqualTo(
            json(get("/" + TENANT + "/v2.0/.well-known/openid-configuration"))
                .path("authorization_endpoint")
                .asText());
    assertThat(doc.path("jwks_uri").asText()).isEqualTo(base + "/adfs/discovery/keys");
  }

  @Test
  void tenantDiscoveryDocumentsPointAtTheirOwnTokenEndpoints() throws Exception {
    String base = server.base().toString();
    JsonNode v2 = json(get("/" + TENANT + "/v2.0/.well-known/openid-configuration"));
    assertThat(v2.path("issuer").asText()).isEqualTo(base + "/" + TENANT + "/v2.0");
    assertThat(v2.path("token_endpoint").asText())
        .isEqualTo(base + "/" + TENANT + "/oauth2/v2.0/token");
    assertThat(v2.path("jwks_uri").asText())
        .isEqualTo(base + "/" + TENANT + "/discovery/v2.0/keys");
    assertThat(v2.path("id_token_signing_alg_values_supported").get(0).asText()).isEqualTo("RS256");
    assertThat(v2.path("token_endpoint_auth_methods_supported").toString())
        .contains("client_secret_post", "client_secret_basic");
    assertThat(v2.has("tenant_region_scope")).isTrue();

    JsonNode v1 = json(get("/common/.well-known/openid-configuration"));
    assertThat(v1.path("token_endpoint").asText()).isEqualTo(base + "/" + TENANT + "/oauth2/token");
  }

  @Test
  void everyJwksRouteServesBerthsPublicKey() throws Exception {
    for (String path :
        new String[] {
          "/" + TENANT + "/discovery/v2.0/keys",
          "/" + TENANT + "/discovery/keys",
          "/common/discovery/keys",
          "/adfs/discovery/keys"
        }) {
      JsonNode jwks = json(get(path));
      assertThat(jwks.path("keys").get(0).path("kid").asText())
          .as(path)
          .isEqualTo(keys.signingKey().getKeyID());
      assertThat(jwks.path("keys").get(0).has("d")).isFalse();
    }
  }

  @Test
  void instanceDiscoveryPointsMsalAtTheTenantDocument() throws Exception {
    JsonNode doc = json(get("/common/discovery/instance?api-version=1.1&authorization_endpoint=x"));
    assertThat(doc.path("tenant_discovery_endpoint").asText())
        .isEqualTo(server.base() + "/" + TENANT + "/v2.0/.well-known/openid-configuration");
    assertThat(doc.path("metadata").get(0).path("aliases").get(0).asText())
        .isEqualTo(server.base().getAuthority());
  }

  @Test
  void scopeParsingStripsExactlyTheDefaultSuffix() {
    assertThat(TokenEndpoints.resourceOfScope("https://h:8443//.default"))
        .contains("https://h:8443/");
    assertThat(TokenEndpoints.resourceOfScope("https://h:8443/.default"))
        .contains("https://h:8443");
    assertThat(TokenEndpoints.resourceOfScope("https://h/.default offline_access openid"))
        .contains("https://h");
    assertThat(TokenEndpoints.resourceOfScope("https://a/.default https://b/.default")).isEmpty();
    assertThat(TokenEndpoints.resourceOfScope("/.default")).isEmpty();
    assertThat(TokenEndpoints.resourceOfScope("https://h/read")).isEmpty();
  }

  private String appId() {
    return sp.principal().appId();
  }

  private HttpResponse<String> post(String path, String body) throws Exception {
    var request =
        HttpRequest.newBuilder(server.base().resolve(path))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build();
    return http.send(request, HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> get(String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(server.base().resolve(path)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static JsonNode json(HttpResponse<String> response) throws Exception {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return Json.parse(response.body().getBytes(StandardCharsets.UTF_8));
  }

  private static JsonNode claims(HttpResponse<String> response) throws Exception {
    String token = json(response).path("access_token").asText();
    return Json.parse(Base64.getUrlDecoder().decode(token.split("\\.")[1]));
  }

  private static JsonNode error(HttpResponse<String> response, String error, int code)
      throws Exception {
    JsonNode body = Json.parse(response.body().getBytes(StandardCharsets.UTF_8));
    assertThat(body.path("error").asText()).as(response.body()).isEqualTo(error);
    assertThat(body.path("error_codes").get(0).asInt()).isEqualTo(code);
    assertThat(body.path("error_description").asText()).startsWith("AADSTS" + code + ":");
    assertThat(body.path("trace_id").asText()).isNotEmpty();
    assertThat(body.path("correlation_id").asText()).isNotEmpty();
    assertThat(body.path("timestamp").asText()).isNotEmpty();
    return body;
  }

  private static String form(String... pairs) {
    Map<String, String> m = new LinkedHashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      m.put(pairs[i], pairs[i + 1]);
    }
    return m.entrySet().stream()
        .map(e -> enc(e.getKey()) + "=" + enc(e.getValue()))
        .collect(Collectors.joining("&"));
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
