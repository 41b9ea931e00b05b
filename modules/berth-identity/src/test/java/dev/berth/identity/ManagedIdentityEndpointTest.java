package dev.berth.identity;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.api.Principal;
import dev.berth.api.Principal.PrincipalType;
import dev.berth.api.ResourceId;
import dev.berth.http.Json;
import dev.berth.store.memory.InMemoryResourceStore;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The managed-identity endpoint over real HTTP on loopback, one case per rule. */
class ManagedIdentityEndpointTest {

  static final String TENANT = "72f988bf-0000-4000-8000-000000000001";
  static final String ARM = "https://management.azure.com/";
  static final String UAMI_ID = AppDocumentsFixture.uami("");

  /** App "web": a system identity and two user-assigned ones. App "batch": one UAMI only. */
  static final BoundIdentity WEB_SYSTEM = BoundIdentity.system(principal("11", "web"));

  static final BoundIdentity WEB_PULL =
      BoundIdentity.userAssigned(principal("12", "pull"), UAMI_ID + "pull");
  static final BoundIdentity WEB_VAULT =
      BoundIdentity.userAssigned(principal("13", "vault"), UAMI_ID + "vault");
  static final BoundIdentity BATCH_ONLY =
      BoundIdentity.userAssigned(principal("21", "batch"), UAMI_ID + "batch");

  @TempDir Path keyDir;

  IdentityConfig config;
  SigningKeys keys;
  InMemoryResourceStore store;
  ReplicaIdentityTable replicas;
  ResourceId web;
  String webSecret;
  String batchSecret;
  TestServer server;
  final HttpClient http = HttpClient.newHttpClient();

  /**
   * The production path: the apps' documents in a store, the table the reconciler fills (each
   * replica's header fingerprint, app and address, here loopback's), the endpoint over HTTP.
   */
  @BeforeEach
  void start() throws Exception {
    config = IdentityConfig.of(TENANT, URI.create("https://127.0.0.1:8443"), keyDir);
    keys = SigningKeys.loadOrCreate(keyDir);
    store = new InMemoryResourceStore();
    web = AppDocumentsFixture.app(store, "web", WEB_SYSTEM, List.of(WEB_PULL, WEB_VAULT));
    ResourceId batch = AppDocumentsFixture.app(store, "batch", null, List.of(BATCH_ONLY));
    replicas = new ReplicaIdentityTable(AppIdentities.of(store));
    webSecret = ReplicaIdentityTable.newSecret();
    batchSecret = ReplicaIdentityTable.newSecret();
    replicas.put(
        "web--abc-1", ReplicaIdentityTable.fingerprint(webSecret), web, Optional.of("127.0.0.1"));
    replicas.put(
        "batch--xyz-1",
        ReplicaIdentityTable.fingerprint(batchSecret),
        batch,
        Optional.of("127.0.0.1"));
    server =
        TestServer.start(
            new ManagedIdentityEndpoint(config, new TokenIssuer(config, keys), replicas).routes());
  }

  @AfterEach
  void stop() throws Exception {
    server.close();
    http.close();
  }

  @Test
  void noIdParameterGivesTheSystemIdentityAnAllStringAppServiceBody() throws Exception {
    var response = get(webSecret, "resource", ARM, "api-version", "2019-08-01");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type"))
        .hasValueSatisfying(v -> assertThat(v).startsWith("application/json"));
    JsonNode body = json(response);
    assertThat(body.properties())
        .extracting(Map.Entry::getKey)
        .containsExactly("access_token", "expires_on", "resource", "token_type", "client_id");
    body.properties().forEach(e -> assertThat(e.getValue().isTextual()).as(e.getKey()).isTrue());
    assertThat(body.path("token_type").asText()).isEqualTo("Bearer");
    assertThat(body.path("resource").asText()).isEqualTo(ARM);
    assertThat(body.path("client_id").asText()).isEqualTo(WEB_SYSTEM.principal().appId());

    VerifiedToken verified = verify(body.path("access_token").asText());
    assertThat(verified.principal()).isEqualTo(WEB_SYSTEM.principal());
    assertThat(verified.audience()).isEqualTo(ARM);
    assertThat(body.path("expires_on").asText())
        .isEqualTo(Long.toString(verified.expiresAt().getEpochSecond()));
  }

  @Test
  void clientIdSelectsAUserAssignedIdentityOfTheAppIgnoringCase() throws Exception {
    var response =
        get(
            webSecret,
            "resource",
            ARM,
            "api-version",
            "2019-08-01",
            "client_id",
            WEB_VAULT.principal().appId().toUpperCase(Locale.ROOT));

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(json(response).path("client_id").asText()).isEqualTo(WEB_VAULT.principal().appId());
    assertThat(claims(response).path("oid").asText()).isEqualTo(WEB_VAULT.principal().objectId());
  }

  @Test
  void principalIdAndObjectIdBothSelectByObjectId() throws Exception {
    for (String parameter : List.of("principal_id", "object_id")) {
      var response =
          get(
              webSecret,
              "resource",
              ARM,
              "api-version",
              "2019-08-01",
              parameter,
              WEB_PULL.principal().objectId());

      assertThat(response.statusCode()).as(parameter).isEqualTo(200);
      assertThat(claims(response).path("oid").asText()).isEqualTo(WEB_PULL.principal().objectId());
    }
  }

  @Test
  void miResIdSelectsByTheArmIdCaseInsensitively() throws Exception {
    var response =
        get(
            webSecret,
            "resource",
            ARM,
            "api-version",
            "2019-08-01",
            "mi_res_id",
            UAMI_ID.toLowerCase(Locale.ROOT) + "PULL");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(claims(response).path("oid").asText()).isEqualTo(WEB_PULL.principal().objectId());
  }

  @Test
  void anotherAppsIdentityIsNeverReachable() throws Exception {
    var fromBatch =
        get(
            batchSecret,
            "resource",
            ARM,
            "api-version",
            "2019-08-01",
            "client_id",
            WEB_PULL.principal().appId());
    var fromWeb =
        get(
            webSecret,
            "resource",
            ARM,
            "api-version",
            "2019-08-01",
            "mi_res_id",
            UAMI_ID + "batch");

    assertError(fromBatch, 400, "invalid_identity", WEB_PULL.principal().appId());
    assertError(fromWeb, 400, "invalid_identity", UAMI_ID + "batch");
  }

  @Test
  void theSystemIdentityCannotBeSelectedAsIfUserAssigned() throws Exception {
    var response =
        get(
            webSecret,
            "resource",
            ARM,
            "api-version",
            "2019-08-01",
            "client_id",
            WEB_SYSTEM.principal().appId());

    assertError(response, 400, "invalid_identity", "client_id");
  }

  @Test
  void anAppWithoutASystemIdentityIsToldToEnableOneOrNameAUserAssignedOne() throws Exception {
    var response = get(batchSecret, "resource", ARM, "api-version", "2019-08-01");

    assertError(response, 400, "invalid_identity", "no system-assigned managed identity");
  }

  @Test
  void aMissingIdentityHeaderIsForbidden() throws Exception {
    var response = get(null, "resource", ARM, "api-version", "2019-08-01");

    assertError(response, 403, "forbidden", "X-IDENTITY-HEADER header is missing");
  }

  @Test
  void anUnknownIdentityHeaderIsForbiddenEvenWhenTheRestIsWrongToo() throws Exception {
    var response = get(webSecret + "x", "api-version", "2017-09-01");

    assertError(response, 403, "forbidden", "does not belong to a running replica");
  }

  @Test
  void aReplicasHeaderSentFromAnotherAddressIsForbiddenLikeAWrongOne() throws Exception {
    String request =
        "GET "
            + ManagedIdentityEndpoint.PATH
            + "?resource="
            + URLEncoder.encode(ARM, StandardCharsets.UTF_8)
            + "&api-version=2019-08-01 HTTP/1.1\r\n"
            + "Host: 127.0.0.1\r\nX-IDENTITY-HEADER: "
            + webSecret
            + "\r\nConnection: close\r\n\r\n";

    // web's replica runs at 127.0.0.1; the same header from 127.0.0.2 (another replica, a local
    // user who read it from a file) gets nothing.
    String fromElsewhere = rawRequest(InetAddress.getByName("127.0.0.2"), request);
    String fromTheReplica = rawRequest(InetAddress.getByName("127.0.0.1"), request);

    assertThat(fromElsewhere).startsWith("HTTP/1.1 403 ");
    JsonNode body = Json.parse(bodyOf(fromElsewhere).getBytes(StandardCharsets.UTF_8));
    assertThat(body.path("error").asText()).isEqualTo("forbidden");
    assertThat(body.path("error_description").asText())
        .contains("does not belong to a running replica");
    assertThat(body.toString()).doesNotContain("access_token");
    assertThat(fromTheReplica).startsWith("HTTP/1.1 200 ").contains("access_token");
  }

  @Test
  void aReplicaWhoseAddressIsNotYetKnownGetsNothingUntilTheRuntimeBindsIt() throws Exception {
    String secret = ReplicaIdentityTable.newSecret();
    replicas.put("web--abc-2", ReplicaIdentityTable.fingerprint(secret), web, Optional.empty());

    var before = get(secret, "resource", ARM, "api-version", "2019-08-01");
    replicas.bindAddress("web--abc-2", "127.0.0.1");
    var after = get(secret, "resource", ARM, "api-version", "2019-08-01");

    assertError(before, 403, "forbidden", "does not belong to a running replica");
    assertThat(after.statusCode()).as(after.body()).isEqualTo(200);
  }

  @Test
  void theAppsIdentitiesAreReadWhenAsked() throws Exception {
    // The app loses its system identity: its running replica can no longer get its tokens.
    AppDocumentsFixture.app(store, "web", null, List.of(WEB_PULL));

    var response = get(webSecret, "resource", ARM, "api-version", "2019-08-01");

    assertError(response, 400, "invalid_identity", "no system-assigned managed identity");
  }

  @Test
  void aRemovedReplicasSecretStopsWorking() throws Exception {
    replicas.remove("web--abc-1");

    var response = get(webSecret, "resource", ARM, "api-version", "2019-08-01");

    assertError(response, 403, "forbidden", "IDENTITY_HEADER");
  }

  @Test
  void anOtherOrMissingApiVersionIsABadRequest() throws Exception {
    var old = get(webSecret, "resource", ARM, "api-version", "2017-09-01");
    var none = get(webSecret, "resource", ARM);

    assertError(old, 400, "invalid_request", "'2017-09-01' is not supported");
    assertError(none, 400, "invalid_request", "api-version query parameter is missing");
  }

  @Test
  void aMissingResourceIsABadRequest() throws Exception {
    var response = get(webSecret, "api-version", "2019-08-01");

    assertError(response, 400, "invalid_request", "resource query parameter is missing");
  }

  @Test
  void aResourceBerthDoesNotIssueForIsRefusedByName() throws Exception {
    var response =
        get(webSecret, "resource", "https://vault.azure.net", "api-version", "2019-08-01");

    assertError(response, 400, "invalid_resource", "'https://vault.azure.net'");
  }

  @Test
  void aScopesDefaultSuffixIsDroppedAndTheRegistryAudienceIsServed() throws Exception {
    var response =
        get(
            webSecret,
            "resource",
            "https://containerregistry.azure.net/.default",
            "api-version",
            "2019-08-01");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(json(response).path("resource").asText())
        .isEqualTo("https://containerregistry.azure.net");
    assertThat(claims(response).path("aud").asText())
        .isEqualTo("https://containerregistry.azure.net");
  }

  @Test
  void moreThanOneIdParameterIsABadRequest() throws Exception {
    var two =
        get(
            webSecret,
            "resource",
            ARM,
            "api-version",
            "2019-08-01",
            "client_id",
            WEB_PULL.principal().appId(),
            "object_id",
            WEB_PULL.principal().objectId());
    var repeated =
        get(
            webSecret,
            "resource",
            ARM,
            "api-version",
            "2019-08-01",
            "client_id",
            WEB_PULL.principal().appId(),
            "client_id",
            WEB_PULL.principal().appId());

    assertError(two, 400, "invalid_request", "client_id, object_id");
    assertError(repeated, 400, "invalid_request", "client_id, client_id");
  }

  @Test
  void anEmptyIdParameterIsABadRequest() throws Exception {
    var response = get(webSecret, "resource", ARM, "api-version", "2019-08-01", "client_id", "");

    assertError(response, 400, "invalid_request", "client_id query parameter is empty");
  }

  @Test
  void otherMethodsAreNotAllowed() throws Exception {
    var response =
        http.send(
            HttpRequest.newBuilder(
                    server.base().resolve("/msi/token?api-version=2019-08-01&resource=" + ARM))
                .header("X-IDENTITY-HEADER", webSecret)
                .POST(HttpRequest.BodyPublishers.noBody())
                .build(),
            HttpResponse.BodyHandlers.ofString());

    assertError(response, 405, "method_not_allowed", "GET only");
    assertThat(response.headers().firstValue("Allow")).hasValue("GET");
  }

  private HttpResponse<String> get(String secret, String... query) throws Exception {
    StringBuilder q = new StringBuilder();
    for (int i = 0; i < query.length; i += 2) {
      q.append(q.isEmpty() ? "?" : "&")
          .append(query[i])
          .append('=')
          .append(URLEncoder.encode(query[i + 1], StandardCharsets.UTF_8));
    }
    HttpRequest.Builder request =
        HttpRequest.newBuilder(server.base().resolve(ManagedIdentityEndpoint.PATH + q)).GET();
    if (secret != null) {
      request.header("X-IDENTITY-HEADER", secret);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** Sends {@code request} over a socket bound to {@code from}; the whole answer. */
  private String rawRequest(InetAddress from, String request) throws Exception {
    try (Socket socket = new Socket()) {
      socket.bind(new InetSocketAddress(from, 0));
      socket.connect(new InetSocketAddress("127.0.0.1", server.base().getPort()), 5000);
      socket.setSoTimeout(5000);
      socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
      return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private static String bodyOf(String response) {
    String body = response.substring(response.indexOf("\r\n\r\n") + 4);
    // Jetty may send the small body chunked: keep what lies between the braces.
    return body.substring(body.indexOf('{'), body.lastIndexOf('}') + 1);
  }

  private static void assertError(
      HttpResponse<String> response, int status, String error, String descriptionPart)
      throws Exception {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
    JsonNode body = json(response);
    assertThat(body.path("error").asText()).isEqualTo(error);
    assertThat(body.path("error_description").asText()).contains(descriptionPart);
  }

  private VerifiedToken verify(String token) throws TokenRejectedException {
    Function<String, Optional<Principal>> byObjectId =
        oid ->
            Stream.of(WEB_SYSTEM, WEB_PULL, WEB_VAULT, BATCH_ONLY)
                .map(BoundIdentity::principal)
                .filter(p -> p.objectId().equals(oid))
                .findFirst();
    return new JwtTokenVerifier(config, keys, byObjectId)
        .verify(token, config.managementAudiences());
  }

  private static JsonNode json(HttpResponse<String> response) throws Exception {
    return Json.parse(response.body().getBytes(StandardCharsets.UTF_8));
  }

  private static JsonNode claims(HttpResponse<String> response) throws Exception {
    String payload = json(response).path("access_token").asText().split("\\.")[1];
    return Json.parse(Base64.getUrlDecoder().decode(payload));
  }

  private static Principal principal(String n, String name) {
    return new Principal(
        "00000000-0000-4000-8000-0000000000" + n,
        TENANT,
        "aaaaaaaa-0000-4000-8000-0000000000" + n,
        PrincipalType.ServicePrincipal,
        name);
  }
}
