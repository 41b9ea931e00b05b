package dev.berth.controlplane;

import static dev.berth.controlplane.support.ArmServer.SUB;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.controlplane.support.ArmServer;
import dev.berth.controlplane.support.ArmServer.Reply;
import dev.berth.http.Json;
import dev.berth.testing.RawHttp;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Malformed requests and out-of-bounds role assignments through the whole ARM chain over real HTTP:
 * each a 4xx in ARM's envelope with its code, never a 5xx.
 */
@Timeout(60)
class ArmInputTest {

  private static final String SUBSCRIPTION = "/subscriptions/" + SUB;
  private static final String RG = SUBSCRIPTION + "/resourceGroups/rg1";
  private static final String REGISTRY =
      RG + "/providers/Microsoft.ContainerRegistry/registries/myacr";
  private static final String RA = "/providers/Microsoft.Authorization/roleAssignments/";
  private static final String V = "?api-version=2022-04-01";
  private static final String ACR_PULL = "7f951dda-4ed3-4680-a7ca-43fe172d538d";
  private static final String NAME =
      "@Resource[Microsoft.ContainerRegistry/registries/repositories:name]";
  private ArmServer arm;
  private int port;

  @BeforeEach
  void start() throws Exception {
    arm = new ArmServer(List.of(TestTypes.registries()));
    arm.put(RG + "?api-version=2021-04-01", "owner", "{\"location\":\"local\"}");
    arm.put(REGISTRY + "?api-version=2023-07-01", "owner", "{\"location\":\"local\"}");
    port = Integer.parseInt(arm.base().substring(arm.base().lastIndexOf(':') + 1));
  }

  @AfterEach
  void stop() throws Exception {
    arm.close();
  }

  private RawHttp.Reply raw(String request, boolean halfClose) throws Exception {
    return RawHttp.send(port, request, halfClose);
  }

  private static String code(String body) throws Exception {
    JsonNode json = Json.parse(body.getBytes(StandardCharsets.UTF_8));
    assertThat(json.path("error").path("message").asText()).as(body).isNotBlank();
    return json.path("error").path("code").asText();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "/metadata/endpoints?api-version=%",
        "/metadata/endpoints?api-version=%zz",
        "/subscriptions?api-version=2022-12-01&%zz=1",
      })
  void aMalformedQueryEscapeIs400InvalidRequestFormat(String target) throws Exception {
    RawHttp.Reply r =
        raw("GET " + target + " HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer owner\r\n\r\n", false);
    assertThat(r.status()).as(r.body()).isEqualTo(400);
    assertThat(code(r.body())).isEqualTo("InvalidRequestFormat");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "/providers/Microsoft.App/locations/local/operationStatuses/..%2F..%2F",
        "/providers/Microsoft.App/locations/local/operationStatuses/a%2Fb",
        "/resourceGroups/rg1%2Fproviders%2FMicrosoft.ContainerRegistry%2Fregistries%2Fmyacr"
      })
  void aPathSegmentHoldingAnEncodedSlashIs400(String tail) throws Exception {
    RawHttp.Reply r =
        raw(
            "GET "
                + SUBSCRIPTION
                + tail
                + "?api-version=2023-05-01 HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer"
                + " owner\r\n\r\n",
            false);
    assertThat(r.status()).as(r.body()).isEqualTo(400);
    assertThat(code(r.body())).isEqualTo("InvalidRequestFormat");
  }

  @Test
  void aBodyShorterThanItsContentLengthIs400InvalidRequestContent() throws Exception {
    RawHttp.Reply r =
        raw(
            "PUT "
                + RG
                + "?api-version=2021-04-01 HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer owner\r\n"
                + "Content-Type: application/json\r\nContent-Length: 200\r\n\r\n{\"location\":",
            true);
    assertThat(r.status()).as(r.body()).isEqualTo(400);
    assertThat(code(r.body())).isEqualTo("InvalidRequestContent");
  }

  @Test
  void aBrokenChunkedBodyIs400InvalidRequestContent() throws Exception {
    RawHttp.Reply r =
        raw(
            "PUT "
                + RG
                + "?api-version=2021-04-01 HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer owner\r\n"
                + "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "3\r\n{\"l\r\nnot-hex\r\n",
            true);
    assertThat(r.status()).as(r.body()).isEqualTo(400);
    assertThat(code(r.body())).isEqualTo("InvalidRequestContent");
  }

  @Test
  void aSkipTokenOutOfRangeIs400() throws Exception {
    String token =
        Base64.getUrlEncoder()
            .withoutPadding()
            .encodeToString("-5:".getBytes(StandardCharsets.UTF_8));
    Reply r =
        arm.get(SUBSCRIPTION + "/resources?api-version=2021-04-01&$skipToken=" + token, "owner");
    assertThat(r.status()).as(r.raw().body()).isEqualTo(400);
  }

  @Test
  void aConditionOver8KbIs400InvalidParameter() throws Exception {
    String condition = NAME + " StringEquals '" + "a".repeat(8 * 1024) + "'";
    Reply r = assign(1, condition, null);
    assertThat(r.status()).as(r.raw().body()).isEqualTo(400);
    assertThat(r.json().at("/error/code").asText()).isEqualTo("InvalidParameter");
    assertThat(r.json().at("/error/target").asText()).isEqualTo("properties.condition");
  }

  @Test
  void aConditionNestedTooDeepIs400AndOneAtTheLimitIsStored() throws Exception {
    String tooDeep = "(".repeat(33) + NAME + " StringEquals 'a'" + ")".repeat(33);
    String negations = "!(".repeat(17) + NAME + " StringEquals 'a'" + ")".repeat(17);
    String atLimit = "!(".repeat(16) + NAME + " StringEquals 'a'" + ")".repeat(16);

    assertThat(assign(1, tooDeep, null).status()).isEqualTo(400);
    Reply r = assign(2, negations, null);
    assertThat(r.status()).as(r.raw().body()).isEqualTo(400);
    assertThat(r.json().at("/error/message").asText()).contains("34 levels");
    assertThat(assign(3, atLimit, null).status()).isEqualTo(201);
  }

  @ParameterizedTest
  @ValueSource(strings = {"(" + NAME + " StringEquals 'a'", NAME + " StringEquals 'a", "a)"})
  void anUnbalancedConditionIs400(String condition) throws Exception {
    Reply r = assign(1, condition, null);
    assertThat(r.status()).as(r.raw().body()).isEqualTo(400);
    assertThat(r.json().at("/error/message").asText()).contains("unbalanced");
  }

  @Test
  void aLongDescriptionOrAnUnknownConditionVersionIs400() throws Exception {
    String body =
        "{\"properties\":{\"roleDefinitionId\":\"/providers/Microsoft.Authorization/roleDefinitions/"
            + ACR_PULL
            + "\",\"principalId\":\"66666666-6666-6666-6666-666666666666\",\"description\":\""
            + "d".repeat(2049)
            + "\"}}";
    Reply r = arm.put(REGISTRY + RA + guid(1) + V, "owner", body);
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.json().at("/error/target").asText()).isEqualTo("properties.description");
    Reply version = assign(2, NAME + " StringEquals 'a'", "1.0");
    assertThat(version.status()).isEqualTo(400);
    assertThat(version.json().at("/error/target").asText())
        .isEqualTo("properties.conditionVersion");
  }

  private Reply assign(int n, String condition, String version) throws Exception {
    var body = Json.object();
    var p = body.putObject("properties");
    p.put("roleDefinitionId", "/providers/Microsoft.Authorization/roleDefinitions/" + ACR_PULL)
        .put("principalId", "66666666-6666-6666-6666-666666666666")
        .put("condition", condition);
    if (version != null) {
      p.put("conditionVersion", version);
    }
    return arm.put(REGISTRY + RA + guid(n) + V, "owner", body.toString());
  }

  private static String guid(int n) {
    return String.format("00000000-0000-4000-8000-%012d", n);
  }
}
