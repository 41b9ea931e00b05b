package dev.berth.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.http.HttpResponse;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Bad input to the real server: each a 4xx in ARM's envelope with the right code, never a 5xx; a
 * container app's bad traffic or scale names the field in {@code error.target}, on PUT and PATCH.
 */
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

  private static final String APP_API = "?api-version=2025-07-01";
  private static final String INVALID = "InvalidParameterValueInContainerTemplate";
  private static final String SCHEMA = "ContainerAppInvalidSchema";
  private static final String TRAFFIC = "properties.configuration.ingress.traffic";

  /**
   * An app in Multiple mode whose one revision {@code bad-app--v1} never runs (no runtime here).
   */
  private static String app;

  private static String app() throws Exception {
    if (app != null) {
      return app;
    }
    String group = groups() + "apps";
    assertThat(
            https
                .send("PUT", group + "?api-version=2021-04-01", owner, "{\"location\":\"local\"}")
                .statusCode())
        .isIn(200, 201);
    String env = group + "/providers/Microsoft.App/managedEnvironments/env";
    assertThat(https.send("PUT", env + APP_API, owner, "{\"location\":\"local\"}").statusCode())
        .isIn(200, 201);
    String id = group + "/providers/Microsoft.App/containerApps/bad-app";
    var put = https.send("PUT", id + APP_API, owner, base(env).toString());
    assertThat(put.statusCode()).as(put.body()).isEqualTo(201);
    app = id;
    return id;
  }

  private static ObjectNode base(String env) throws Exception {
    return (ObjectNode)
        Https.JSON.readTree(
            """
            {"location":"local","properties":{"environmentId":"%s",
              "configuration":{"activeRevisionsMode":"Multiple",
                "ingress":{"external":true,"targetPort":80}},
              "template":{"revisionSuffix":"v1",
                "containers":[{"name":"api","image":"localhost:1/api:1"}]}}}
            """
                .formatted(env));
  }

  static Stream<Arguments> badTrafficAndScale() {
    return Stream.of(
        row(
            "weights adding up to 90",
            traffic(
                "{\"latestRevision\":true,\"weight\":60},"
                    + "{\"revisionName\":\"bad-app--v1\",\"weight\":30}"),
            INVALID,
            TRAFFIC),
        row(
            "a weight above 100",
            traffic("{\"latestRevision\":true,\"weight\":101}"),
            INVALID,
            TRAFFIC + "[0].weight"),
        row(
            "a label on a missing revision",
            traffic(
                "{\"latestRevision\":true,\"weight\":100},"
                    + "{\"revisionName\":\"bad-app--nope\",\"weight\":0,\"label\":\"blue\"}"),
            INVALID,
            TRAFFIC + "[1].revisionName"),
        row(
            "a label twice",
            traffic(
                "{\"latestRevision\":true,\"weight\":100,\"label\":\"blue\"},"
                    + "{\"revisionName\":\"bad-app--v1\",\"weight\":0,\"label\":\"blue\"}"),
            INVALID,
            TRAFFIC + "[1].label"),
        row(
            "revisionName with latestRevision true",
            traffic("{\"latestRevision\":true,\"revisionName\":\"bad-app--v1\",\"weight\":100}"),
            INVALID,
            TRAFFIC + "[0]"),
        row(
            "minReplicas above maxReplicas",
            scale("{\"minReplicas\":5,\"maxReplicas\":2}"),
            INVALID,
            "template.scale.minReplicas"),
        row(
            "negative minReplicas",
            scale("{\"minReplicas\":-1}"),
            INVALID,
            "template.scale.minReplicas"),
        row(
            "negative maxReplicas",
            scale("{\"maxReplicas\":-1}"),
            INVALID,
            "template.scale.maxReplicas"),
        row(
            "maxReplicas above ACA's 1000",
            scale("{\"maxReplicas\":1001}"),
            INVALID,
            "template.scale.maxReplicas"),
        row(
            "maxReplicas not a number",
            scale("{\"maxReplicas\":\"ten\"}"),
            SCHEMA,
            "properties.template.scale.maxReplicas"),
        row(
            "concurrentRequests 0",
            scale(
                "{\"rules\":[{\"name\":\"web\",\"http\":{\"metadata\":{\"concurrentRequests\":\"0\"}}}]}"),
            INVALID,
            "template.scale.rules.web.http.metadata.concurrentRequests"),
        row(
            "concurrentRequests not a number",
            scale(
                "{\"rules\":[{\"name\":\"web\",\"http\":{\"metadata\":{\"concurrentRequests\":\"many\"}}}]}"),
            INVALID,
            "template.scale.rules.web.http.metadata.concurrentRequests"),
        row(
            "a scale rule with no type",
            scale("{\"rules\":[{\"name\":\"web\"}]}"),
            INVALID,
            "template.scale.rules.web"));
  }

  private static Arguments row(String what, String fragment, String code, String target) {
    return Arguments.of(what, fragment, code, target);
  }

  private static String traffic(String rules) {
    return "{\"properties\":{\"configuration\":{\"ingress\":{\"traffic\":[" + rules + "]}}}}";
  }

  private static String scale(String scale) {
    return "{\"properties\":{\"template\":{\"scale\":" + scale + "}}}";
  }

  @ParameterizedTest(name = "PUT: {0}")
  @MethodSource("badTrafficAndScale")
  void badTrafficOrScaleInAPutIs400NamingTheField(
      String what, String fragment, String code, String target) throws Exception {
    String id = app();
    ObjectNode body =
        Https.JSON.readTree(https.send("GET", id + APP_API, owner, null).body()).deepCopy();
    merge(body, (ObjectNode) Https.JSON.readTree(fragment));

    var r = https.send("PUT", id + APP_API, owner, body.toString());

    assertNamed(r, code, target);
  }

  @ParameterizedTest(name = "PATCH: {0}")
  @MethodSource("badTrafficAndScale")
  void badTrafficOrScaleInAPatchIs400NamingTheField(
      String what, String fragment, String code, String target) throws Exception {
    var r = https.send("PATCH", app() + APP_API, owner, fragment);

    assertNamed(r, code, target);
  }

  private static void assertNamed(HttpResponse<String> r, String code, String target)
      throws Exception {
    assertArmError(r, 400, code);
    assertThat(Https.json(r).at("/error/target").asText()).isEqualTo(target);
    String field = target.substring(target.lastIndexOf('.') + 1).replaceAll("\\[\\d+\\]", "");
    assertThat(Https.json(r).at("/error/message").asText()).contains(field);
  }

  /** {@code fragment} written into {@code body}, objects merged, anything else replaced. */
  private static void merge(ObjectNode body, ObjectNode fragment) {
    fragment
        .properties()
        .forEach(
            e -> {
              JsonNode mine = body.get(e.getKey());
              if (mine instanceof ObjectNode o && e.getValue() instanceof ObjectNode f) {
                merge(o, f);
              } else {
                body.set(e.getKey(), e.getValue());
              }
            });
  }
}
