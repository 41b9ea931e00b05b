package dev.berth.controlplane;

import static dev.berth.controlplane.support.ArmServer.SUB;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.api.ResourceId;
import dev.berth.controlplane.support.ArmServer;
import dev.berth.controlplane.support.ArmServer.Reply;
import dev.berth.controlplane.support.Fakes;
import dev.berth.store.ResourceStore;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The request chain over real HTTP: ids, routing, api-version, authentication, RBAC, bodies. */
class ArmChainTest {

  private static final String RG = "/subscriptions/" + SUB + "/resourcegroups/";
  private static final String V = "?api-version=2021-04-01";
  private static ArmServer arm;

  @BeforeAll
  static void start() throws Exception {
    ResourceType faulty =
        ResourceType.builder("Test.Faulty/things")
            .apiVersions("2024-01-01")
            .hooks(
                new ResourceHooks() {
                  @Override
                  public ObjectNode prepare(
                      ResourceStore tx,
                      ResourceId id,
                      ObjectNode desired,
                      Optional<ObjectNode> current) {
                    throw new IllegalStateException("boom at line 42");
                  }
                })
            .build();
    arm = new ArmServer(List.of(faulty));
    arm.put(RG + "chain" + V, "owner", "{\"location\":\"local\"}");
  }

  @AfterAll
  static void stop() throws Exception {
    arm.close();
  }

  private static void assertError(Reply r, int status, String code) {
    assertThat(r.status()).isEqualTo(status);
    assertThat(r.json().path("error").path("code").asText()).isEqualTo(code);
    assertThat(r.json().path("error").path("message").asText()).isNotBlank();
  }

  @Test
  void everyReplyCarriesRequestIdsAndEchoesTheCallersIds() throws Exception {
    Reply r =
        arm.send(
            "GET",
            RG + "chain" + V,
            "owner",
            null,
            "x-ms-client-request-id",
            "client-1",
            "x-ms-correlation-request-id",
            "corr-1");
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.header("x-ms-request-id")).isNotBlank();
    assertThat(r.header("x-ms-client-request-id")).isEqualTo("client-1");
    assertThat(r.header("x-ms-correlation-request-id")).isEqualTo("corr-1");
    assertThat(r.header("Date")).isNotBlank();
    assertThat(r.header("Content-Type")).isEqualTo("application/json; charset=utf-8");

    Reply error = arm.get(RG + "chain", "owner");
    assertThat(error.header("x-ms-request-id")).isNotBlank();
    assertThat(error.header("x-ms-correlation-request-id")).isNotBlank();
  }

  @Test
  void apiVersionIsRequiredWellFormedAndSupportedForTheType() throws Exception {
    Reply missing = arm.get(RG + "chain", "owner");
    assertError(missing, 400, "MissingApiVersionParameter");
    assertThat(missing.json().at("/error/message").asText())
        .isEqualTo("The api-version query parameter (?api-version=) is required for all requests.");
    assertError(
        arm.get(RG + "chain?api-version=yesterday", "owner"), 400, "InvalidApiVersionParameter");
    Reply unsupported = arm.get(RG + "chain?api-version=2099-01-01", "owner");
    assertError(unsupported, 400, "NoRegisteredProviderFound");
    assertThat(unsupported.json().at("/error/message").asText())
        .startsWith(
            "No registered resource provider found for location 'local' and API version"
                + " '2099-01-01' for type 'resourceGroups'. The supported api-versions are '2015-01-01,")
        .endsWith("The supported locations are 'local'.");
    assertThat(arm.get(RG + "chain?api-version=2019-11-01", "owner").status()).isEqualTo(200);
  }

  @Test
  void unknownPathsAre404AndWrongMethodsAre405() throws Exception {
    assertError(arm.get("/nothing/here" + V, "owner"), 404, "NotFound");
    Reply wrong = arm.send("POST", RG + "chain" + V, "owner", "{}");
    assertError(wrong, 405, "MethodNotAllowed");
    Reply unknownProvider =
        arm.get(RG + "chain/providers/Microsoft.Nope/things/x?api-version=2024-01-01", "owner");
    assertError(unknownProvider, 400, "NoRegisteredProviderFound");
  }

  @Test
  void eachAuthenticationFailureIsItsOwn401WithAChallenge() throws Exception {
    Reply missing = arm.get(RG + "chain" + V, null);
    assertError(missing, 401, "AuthenticationFailed");
    assertThat(missing.json().at("/error/message").asText())
        .isEqualTo("Authentication failed. The 'Authorization' header is missing.");
    assertError(arm.get(RG + "chain" + V, "garbage"), 401, "InvalidAuthenticationToken");
    assertError(arm.get(RG + "chain" + V, "forged"), 401, "InvalidAuthenticationToken");
    assertError(arm.get(RG + "chain" + V, "ghost"), 401, "InvalidAuthenticationToken");
    assertError(arm.get(RG + "chain" + V, "expired"), 401, "ExpiredAuthenticationToken");
    assertError(arm.get(RG + "chain" + V, "wrong-aud"), 401, "InvalidAuthenticationTokenAudience");
    for (String token : new String[] {null, "garbage", "expired", "wrong-aud"}) {
      assertThat(arm.get(RG + "chain" + V, token).header("WWW-Authenticate"))
          .startsWith("Bearer authorization_uri=\"https://127.0.0.1:8443/" + Fakes.TENANT + "\"")
          .contains("error=\"invalid_token\"", "error_description=\"");
    }
    Reply basic =
        arm.send("GET", RG + "chain" + V, null, null, "Authorization", "Basic Zm9vOmJhcg==");
    assertError(basic, 401, "AuthenticationFailed");
  }

  @Test
  void aDeniedActionIsAuthorizationFailedInArmsWords() throws Exception {
    Reply denied = arm.put(RG + "readonly" + V, "reader", "{\"location\":\"local\"}");
    assertError(denied, 403, "AuthorizationFailed");
    assertThat(denied.json().at("/error/message").asText())
        .isEqualTo(
            "The client '22222222-2222-2222-2222-222222222222' with object id"
                + " '22222222-2222-2222-2222-222222222222' does not have authorization to perform action"
                + " 'Microsoft.Resources/subscriptions/resourceGroups/write' over scope '/subscriptions/"
                + SUB
                + "/resourceGroups/readonly' or the scope is invalid. If access was recently"
                + " granted, please refresh your credentials.");
  }

  @Test
  void badBodiesAre4xxNever5xx() throws Exception {
    assertError(arm.put(RG + "b1" + V, "owner", "{\"location\":"), 400, "InvalidRequestContent");
    assertError(
        arm.put(RG + "b1" + V, "owner", "[{\"location\":\"local\"}]"),
        400,
        "InvalidRequestContent");
    assertError(arm.put(RG + "b1" + V, "owner", "\"text\""), 400, "InvalidRequestContent");
    String huge =
        "{\"location\":\"local\",\"tags\":{\"x\":\"" + "a".repeat(5 * 1024 * 1024) + "\"}}";
    // A refused 5 MB body is read and dropped: the connection stays open and usable, where closing
    // it under a client still sending made the kernel reset it (the refusal or the next request
    // then failed with "header parser received no bytes").
    for (int i = 0; i < 10; i++) {
      Reply tooLarge = arm.put(RG + "b1" + V, "owner", huge);
      assertError(tooLarge, 413, "RequestEntityTooLarge");
      assertThat(tooLarge.header("Connection")).isNull();
      assertError(arm.put(RG + "b1" + V, "owner", "{}"), 400, "LocationRequired");
    }
  }

  @Test
  void aBodyTooLargeToDrainIsLeftUnreadAndTheConnectionClosed() throws Exception {
    // 100-continue: the client sends the body only if asked, so the refusal cannot race it.
    Reply refused =
        arm.send(
            "PUT",
            RG + "b2" + V,
            "owner",
            "{\"tags\":{\"x\":\"" + "a".repeat(17 * 1024 * 1024) + "\"}}",
            true);
    assertError(refused, 413, "RequestEntityTooLarge");
    assertThat(refused.header("Connection")).isEqualTo("close");
    assertError(arm.put(RG + "b2" + V, "owner", "{}"), 400, "LocationRequired");
  }

  @Test
  void aWriteRefusedBeforeItsBodyIsReadLeavesTheConnectionUsable() throws Exception {
    // Authentication and RBAC answer before the body is read. Jetty drops a connection whose body
    // was left unread, after the reply; the next request on it then got no byte back.
    String body = "{\"location\":\"local\",\"tags\":{\"x\":\"" + "a".repeat(2000) + "\"}}";
    for (int i = 0; i < 30; i++) {
      assertError(arm.put(RG + "b3" + V, null, body), 401, "AuthenticationFailed");
      assertError(arm.put(RG + "b3" + V, "reader", body), 403, "AuthorizationFailed");
      assertThat(arm.get(RG + "chain" + V, "owner").status()).isEqualTo(200);
    }
    assertError(arm.send("PUT", RG + "b3" + V, null, body, true), 401, "AuthenticationFailed");
    assertThat(arm.get(RG + "chain" + V, "owner").status()).isEqualTo(200);

    // A body still on its way when the refusal goes out: the reply must say the connection closes.
    for (String expect : new String[] {"", "Expect: 100-continue\r\n"}) {
      String reply = headersOnly("PUT", RG + "b3" + V, expect + "Content-Length: 100\r\n");
      assertThat(reply).startsWith("HTTP/1.1 401 ").containsIgnoringCase("Connection: close");
    }
  }

  /** Sends only the head of a request on a fresh socket; the reply's head, as text. */
  private static String headersOnly(String method, String path, String headers) throws Exception {
    URI base = URI.create(arm.base());
    try (var socket = new Socket(base.getHost(), base.getPort())) {
      socket.setSoTimeout(5000);
      socket
          .getOutputStream()
          .write(
              (method
                      + " "
                      + path
                      + " HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                      + headers
                      + "\r\n")
                  .getBytes(StandardCharsets.US_ASCII));
      byte[] buf = new byte[8192];
      int n = socket.getInputStream().read(buf);
      return new String(buf, 0, Math.max(n, 0), StandardCharsets.US_ASCII);
    }
  }

  @Test
  void metadataEndpointsIsAnonymousAndDescribesTheCloud() throws Exception {
    Reply legacy = arm.get("/metadata/endpoints?api-version=2015-01-01", null);
    assertThat(legacy.status()).isEqualTo(200);
    assertThat(legacy.json().at("/authentication/loginEndpoint").asText())
        .isEqualTo("https://127.0.0.1:8443/adfs");
    assertThat(legacy.json().at("/authentication/audiences/0").asText())
        .isEqualTo("https://127.0.0.1:8444/");
    assertThat(legacy.json().has("graphEndpoint")).isTrue();
    assertThat(legacy.json().at("/suffixes/acrLoginServer").asText())
        .isEqualTo(".azurecr.io.localhost");
    Reply modern = arm.get("/metadata/endpoints?api-version=2022-09-01", null);
    assertThat(modern.json().isArray()).isTrue();
    assertThat(modern.json().at("/0/resourceManager").asText())
        .isEqualTo("https://127.0.0.1:8444/");
    assertThat(modern.json().at("/0/name").asText()).isEqualTo("Berth");
    assertThat(modern.json().at("/0/berth/ingressHttpsPort").asInt()).isEqualTo(443);
    assertError(arm.get("/metadata/endpoints", null), 400, "MissingApiVersionParameter");
  }

  @Test
  void anUnexpectedFaultIsA500EnvelopeWithoutAStackTrace() throws Exception {
    Reply r =
        arm.put(
            RG + "chain/providers/Test.Faulty/things/t1?api-version=2024-01-01",
            "owner",
            "{\"location\":\"local\"}");
    assertError(r, 500, "InternalServerError");
    assertThat(r.raw().body()).doesNotContain("boom", "at dev.berth", "Exception");
    assertThat(r.json().at("/error/message").asText()).contains(r.header("x-ms-request-id"));
  }
}
