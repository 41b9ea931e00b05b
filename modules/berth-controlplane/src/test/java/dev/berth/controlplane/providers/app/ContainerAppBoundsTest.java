package dev.berth.controlplane.providers.app;

import static dev.berth.controlplane.providers.app.AppFixture.app;
import static dev.berth.controlplane.providers.app.AppFixture.configuration;
import static dev.berth.controlplane.providers.app.AppFixture.container;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.controlplane.support.ArmServer.Reply;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A container app body out of ACA's bounds is a 400 in ACA's words before anything is stored:
 * replicas, cores and memory, container counts, traffic weights, secret names, images, env names,
 * probe timings. Values at the bounds are accepted.
 */
class ContainerAppBoundsTest {

  private static final String TEMPLATE_CODE = "InvalidParameterValueInContainerTemplate";
  private static AppFixture f;

  @BeforeAll
  static void start() throws Exception {
    f = new AppFixture();
  }

  @AfterAll
  static void stop() throws Exception {
    f.close();
  }

  static Stream<Arguments> outOfBounds() {
    return Stream.of(
        bad(
            "minReplicas 1 000 000",
            a -> scale(a).put("minReplicas", 1_000_000).put("maxReplicas", 1_000_000),
            TEMPLATE_CODE,
            "at most 1000"),
        bad(
            "maxReplicas 1001",
            a -> scale(a).put("maxReplicas", 1001),
            TEMPLATE_CODE,
            "at most 1000"),
        bad(
            "maxReplicas beyond int",
            a -> scale(a).put("maxReplicas", 99999999999L),
            "ContainerAppInvalidSchema",
            "maxReplicas"),
        bad(
            "cooldownPeriod negative",
            a -> scale(a).put("cooldownPeriod", -1),
            TEMPLATE_CODE,
            "cooldownPeriod"),
        bad(
            "memory 99999999999999999999Gi",
            a -> resources(a, 1, "99999999999999999999Gi"),
            TEMPLATE_CODE,
            "at most 8Gi"),
        bad("memory 0", a -> resources(a, 1, "0Gi"), TEMPLATE_CODE, "more than 0"),
        bad("memory 9Gi", a -> resources(a, 1, "9Gi"), TEMPLATE_CODE, "at most 8Gi"),
        bad(
            "two 4-core containers",
            a -> {
              resources(a, 4, "8Gi");
              second(a).putObject("resources").put("cpu", 4).put("memory", "8Gi");
            },
            TEMPLATE_CODE,
            "at most 4 cores and 8Gi"),
        bad("17 containers", a -> containers(a, 17), TEMPLATE_CODE, "at most 16 containers"),
        bad("1000 containers", a -> containers(a, 1000), TEMPLATE_CODE, "at most 16 containers"),
        bad("traffic 500/-400", a -> traffic(a, 500, -400), TEMPLATE_CODE, "not between 0 and 100"),
        bad("traffic summing to 90", a -> traffic(a, 60, 30), TEMPLATE_CODE, "add up to 90"),
        bad(
            "traffic rule naming nothing",
            a -> ingress(a).putArray("traffic").addObject().put("weight", 100),
            TEMPLATE_CODE,
            "latestRevision"),
        bad(
            "traffic weight fraction",
            a ->
                ingress(a)
                    .putArray("traffic")
                    .addObject()
                    .put("weight", 99.5)
                    .put("latestRevision", true),
            "ContainerAppInvalidSchema",
            "weight"),
        bad(
            "secret ../../x",
            a -> secret(a, "../../x"),
            "ContainerAppInvalidSecretName",
            "'../../x'"),
        bad(
            "secret upper case",
            a -> secret(a, "MySecret"),
            "ContainerAppInvalidSecretName",
            "lower case"),
        bad(
            "secret of 254 characters",
            a -> secret(a, "s".repeat(254)),
            "ContainerAppInvalidSecretName",
            "253"),
        bad(
            "image with ../",
            a -> container(a).put("image", "localhost:1/../../etc/passwd"),
            TEMPLATE_CODE,
            "not an image reference"),
        bad(
            "image with space",
            a -> container(a).put("image", "localhost:5001/a b:1"),
            TEMPLATE_CODE,
            "not an image reference"),
        bad(
            "image of 10 000 characters",
            a -> container(a).put("image", "r/" + "a".repeat(10_000)),
            TEMPLATE_CODE,
            "not an image reference"),
        bad(
            "container name with underscore",
            a -> container(a).put("name", "Bad_Name"),
            TEMPLATE_CODE,
            "container name"),
        bad("env name with =", a -> env(a, "PATH=/evil:"), TEMPLATE_CODE, "env name"),
        bad("env name starting with a digit", a -> env(a, "1ABC"), TEMPLATE_CODE, "env name"),
        bad(
            "probe period 0",
            a -> probe(a).put("periodSeconds", 0),
            TEMPLATE_CODE,
            "periodSeconds"),
        bad(
            "probe delay 61",
            a -> probe(a).put("initialDelaySeconds", 61),
            TEMPLATE_CODE,
            "initialDelaySeconds"),
        bad(
            "probe failureThreshold 11",
            a -> probe(a).put("failureThreshold", 11),
            TEMPLATE_CODE,
            "failureThreshold"),
        bad(
            "probe timeout huge",
            a -> probe(a).put("timeoutSeconds", 1e12),
            TEMPLATE_CODE,
            "timeoutSeconds"),
        bad(
            "probe path without slash",
            a -> ((ObjectNode) probe(a).get("httpGet")).put("path", "health"),
            TEMPLATE_CODE,
            "path"),
        bad(
            "probe path with space",
            a -> ((ObjectNode) probe(a).get("httpGet")).put("path", "/a b"),
            TEMPLATE_CODE,
            "path"),
        bad(
            "probe scheme",
            a -> ((ObjectNode) probe(a).get("httpGet")).put("scheme", "FTP"),
            TEMPLATE_CODE,
            "scheme"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("outOfBounds")
  void aValueOutOfBoundsIs400AndNothingIsStored(
      String what, Consumer<ObjectNode> change, String code, String says) throws Exception {
    ObjectNode body = app();
    change.accept(body);

    Reply r = f.put("bounds", body);

    assertThat(r.status()).as(r.raw().body()).isEqualTo(400);
    assertThat(r.json().at("/error/code").asText()).as(r.raw().body()).isEqualTo(code);
    assertThat(r.json().at("/error/message").asText()).contains(says);
    assertThat(f.get("bounds").status()).isEqualTo(404);
  }

  @Test
  void valuesAtTheBoundsAreAccepted() throws Exception {
    ObjectNode body = app();
    scale(body).put("minReplicas", 0).put("maxReplicas", 1000);
    resources(body, 2, "4Gi");
    second(body).putObject("resources").put("cpu", 2).put("memory", "4096Mi");
    ArrayNode traffic = ingress(body).putArray("traffic");
    traffic.addObject().put("latestRevision", true).put("weight", 50);
    traffic.addObject().put("latestRevision", true).put("label", "blue").put("weight", 50);
    configuration(body)
        .putArray("secrets")
        .addObject()
        .put("name", "db.password-1" + "x".repeat(200))
        .put("value", "v");
    container(body).put("image", "registry.example.com:5000/team-a/app_x__y:v1.2-rc");
    container(body).putArray("env").addObject().put("name", "_my.env-NAME1").put("value", "x");

    Reply r = f.put("edges", body);

    assertThat(r.status()).as(r.raw().body()).isIn(200, 201);
  }

  // ---- fixtures -------------------------------------------------------------------------------

  private static Arguments bad(String what, Consumer<ObjectNode> change, String code, String says) {
    return Arguments.of(what, change, code, says);
  }

  private static ObjectNode template(ObjectNode app) {
    return (ObjectNode) app.at("/properties/template");
  }

  private static ObjectNode scale(ObjectNode app) {
    return template(app).with("scale");
  }

  private static void resources(ObjectNode app, double cpu, String memory) {
    container(app).putObject("resources").put("cpu", cpu).put("memory", memory);
  }

  private static ObjectNode second(ObjectNode app) {
    return ((ArrayNode) template(app).get("containers"))
        .addObject()
        .put("name", "sidecar")
        .put("image", "localhost:5001/sidecar:1");
  }

  private static void containers(ObjectNode app, int n) {
    ArrayNode list = template(app).putArray("containers");
    for (int i = 0; i < n; i++) {
      list.addObject()
          .put("name", "c" + i)
          .put("image", "localhost:5001/api:1")
          .putObject("resources")
          .put("cpu", 0.25)
          .put("memory", "0.5Gi");
    }
  }

  private static ObjectNode ingress(ObjectNode app) {
    return configuration(app).with("ingress").put("targetPort", 80);
  }

  private static void traffic(ObjectNode app, int first, int second) {
    ArrayNode traffic = ingress(app).putArray("traffic");
    traffic.addObject().put("latestRevision", true).put("weight", first);
    traffic.addObject().put("revisionName", "bounds--old").put("weight", second);
  }

  private static void secret(ObjectNode app, String name) {
    configuration(app).putArray("secrets").addObject().put("name", name).put("value", "v");
  }

  private static void env(ObjectNode app, String name) {
    container(app).putArray("env").addObject().put("name", name).put("value", "x");
  }

  private static ObjectNode probe(ObjectNode app) {
    ObjectNode probe = container(app).putArray("probes").addObject().put("type", "Liveness");
    probe.putObject("httpGet").put("path", "/health").put("port", 8080);
    return probe;
  }
}
