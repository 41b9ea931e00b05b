package dev.berth.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Bad input to the real server: each a 4xx in ARM's envelope with the right code, never a 5xx. */
class ArmBadInputIT {

  @RegisterExtension static final RunningBerth BERTH = new RunningBerth();

  private static Https https;
  private static BootstrapInfo boot;
  private static String owner;

  @BeforeAll
  static void logIn() throws Exception {
    boot = BERTH.bootstrap();
    https = new Https(BERTH.caFile(), boot.managementEndpoint());
    owner =
        https.token(
            boot.tenantId(), boot.clientId(), boot.clientSecret(), boot.managementEndpoint());
  }

  private static String groups() {
    return "/subscriptions/" + boot.subscriptionId() + "/resourceGroups/";
  }

  private static void assertArmError(HttpResponse<String> r, int status, String code)
      throws Exception {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
    assertThat(r.headers().firstValue("x-ms-request-id")).isPresent();
    assertThat(Https.json(r).path("error").path("code").asText()).as(r.body()).isEqualTo(code);
    assertThat(Https.json(r).path("error").path("message").asText()).isNotBlank();
  }

  @Test
  void malformedJsonIsInvalidRequestContent() throws Exception {
    assertArmError(
        https.send("PUT", groups() + "bad?api-version=2021-04-01", owner, "{\"location\":"),
        400,
        "InvalidRequestContent");
  }

  @Test
  void missingApiVersion() throws Exception {
    assertArmError(
        https.send("GET", groups() + "x", owner, null), 400, "MissingApiVersionParameter");
  }

  @ParameterizedTest
  @CsvSource({"1999-01-01, NoRegisteredProviderFound", "latest, InvalidApiVersionParameter"})
  void unknownOrMalformedApiVersion(String version, String code) throws Exception {
    assertArmError(
        https.send("GET", groups() + "x?api-version=" + version, owner, null), 400, code);
  }

  @Test
  void groupNameTooLongOrWithForbiddenCharacters() throws Exception {
    String longName = "a".repeat(91);
    assertArmError(
        https.send(
            "PUT",
            groups() + longName + "?api-version=2021-04-01",
            owner,
            "{\"location\":\"local\"}"),
        400,
        "InvalidResourceGroup");
    assertArmError(
        https.send(
            "PUT",
            groups() + "bad%3Cname%3E?api-version=2021-04-01",
            owner,
            "{\"location\":\"local\"}"),
        400,
        "InvalidResourceGroup");
  }

  @Test
  void bodyOverFourMegabytesIs413() throws Exception {
    String huge =
        "{\"location\":\"local\",\"tags\":{\"a\":\"" + "x".repeat(4 * 1024 * 1024 + 10) + "\"}}";
    assertArmError(
        https.send("PUT", groups() + "huge?api-version=2021-04-01", owner, huge),
        413,
        "RequestEntityTooLarge");
  }

  @Test
  void wrongIfMatchIs412() throws Exception {
    assertThat(
            https
                .send(
                    "PUT",
                    groups() + "etag-rg?api-version=2021-04-01",
                    owner,
                    "{\"location\":\"local\"}")
                .statusCode())
        .isIn(200, 201);
    var r =
        https.sendWithHeader(
            "PUT",
            groups() + "etag-rg?api-version=2021-04-01",
            owner,
            "{\"location\":\"local\",\"tags\":{\"a\":\"b\"}}",
            "If-Match",
            "\"not-the-etag\"");
    assertArmError(r, 412, "PreconditionFailed");
  }
}
