package dev.berth.controlplane.providers.app;

import static dev.berth.controlplane.providers.app.AppFixture.app;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.controlplane.support.ArmServer.Reply;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A bad {@code template.scale} is a 400 over real HTTP whose {@code target} names the field, never
 * a 5xx, and nothing is stored; a good one is stored as ACA stores it.
 */
class ContainerAppScaleTest {

  private static final String INVALID = "InvalidParameterValueInContainerTemplate";
  private static final String SCHEMA = "ContainerAppInvalidSchema";
  private static final AtomicInteger ROWS = new AtomicInteger();
  private static AppFixture f;

  @BeforeAll
  static void start() throws Exception {
    f = new AppFixture();
  }

  @AfterAll
  static void stop() throws Exception {
    f.close();
  }

  static Stream<Arguments> badScales() {
    return Stream.of(
        bad("minReplicas negative", s -> s.put("minReplicas", -1), "minReplicas", "0 or more"),
        bad("maxReplicas negative", s -> s.put("maxReplicas", -3), "maxReplicas", "1 or more"),
        bad("maxReplicas 0", s -> s.put("maxReplicas", 0), "maxReplicas", "1 or more"),
        bad(
            "minReplicas above maxReplicas",
            s -> s.put("minReplicas", 5).put("maxReplicas", 2),
            "minReplicas",
            "must not be more than maxReplicas (2)"),
        bad(
            "minReplicas above the default maxReplicas",
            s -> s.put("minReplicas", 11),
            "minReplicas",
            "must not be more than maxReplicas (10)"),
        bad("maxReplicas 1001", s -> s.put("maxReplicas", 1001), "maxReplicas", "at most 1000"),
        bad(
            "cooldownPeriod negative",
            s -> s.put("cooldownPeriod", -1),
            "cooldownPeriod",
            "0 or more"),
        bad(
            "pollingInterval negative",
            s -> s.put("pollingInterval", -30),
            "pollingInterval",
            "0 or more"),
        bad(
            "concurrentRequests zero",
            s -> http(s, "rule", "0"),
            "rules.rule.http.metadata.concurrentRequests",
            "1 or more"),
        bad(
            "concurrentRequests negative",
            s -> http(s, "rule", "-5"),
            "rules.rule.http.metadata.concurrentRequests",
            "1 or more"),
        bad(
            "concurrentRequests not a number",
            s -> http(s, "rule", "lots"),
            "rules.rule.http.metadata.concurrentRequests",
            "whole number"),
        bad(
            "concurrentRequests a fraction",
            s ->
                s.putArray("rules")
                    .addObject()
                    .put("name", "rule")
                    .putObject("http")
                    .putObject("metadata")
                    .put("concurrentRequests", 2.5),
            "rules.rule.http.metadata.concurrentRequests",
            "whole number"),
        bad(
            "concurrentRequests beyond int",
            s -> http(s, "rule", "99999999999"),
            "rules.rule.http.metadata.concurrentRequests",
            "whole number"),
        bad(
            "custom http rule with a bad concurrentRequests",
            s ->
                s.putArray("rules")
                    .addObject()
                    .put("name", "c")
                    .putObject("custom")
                    .put("type", "http")
                    .putObject("metadata")
                    .put("concurrentRequests", "0"),
            "rules.c.custom.metadata.concurrentRequests",
            "1 or more"),
        bad(
            "a rule without a name",
            s -> s.putArray("rules").addObject().putObject("http"),
            "rules",
            "needs a name"),
        bad(
            "two rules with one name",
            s -> {
              http(s, "r", "5");
              ((ArrayNode) s.get("rules")).addObject().put("name", "r").putObject("tcp");
            },
            "rules.r",
            "more than once"),
        bad(
            "a rule of no kind",
            s -> s.putArray("rules").addObject().put("name", "r"),
            "rules.r",
            "needs one of"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badScales")
  void aBadScaleIs400NamingTheField(
      String what, Consumer<ObjectNode> change, String field, String says) throws Exception {
    ObjectNode body = app();
    change.accept(scale(body));

    String name = "scale-" + ROWS.incrementAndGet(); // one app per row: a miss stays in its row
    Reply r = f.put(name, body);

    assertThat(r.status()).as(r.raw().body()).isEqualTo(400);
    assertThat(r.json().at("/error/code").asText()).isEqualTo(INVALID);
    assertThat(r.json().at("/error/target").asText()).isEqualTo("template.scale." + field);
    assertThat(r.json().at("/error/message").asText()).contains(says);
    assertThat(f.get(name).status()).isEqualTo(404);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("mistyped")
  void aMistypedScaleFieldIsASchemaError(String field, Consumer<ObjectNode> change)
      throws Exception {
    ObjectNode body = app();
    change.accept(scale(body));

    Reply r = f.put("schema-" + ROWS.incrementAndGet(), body);

    assertThat(r.status()).as(r.raw().body()).isEqualTo(400);
    assertThat(r.json().at("/error/code").asText()).isEqualTo(SCHEMA);
    assertThat(r.json().at("/error/target").asText())
        .isEqualTo("properties.template.scale." + field);
  }

  static Stream<Arguments> mistyped() {
    return Stream.of(
        Arguments.of("minReplicas", (Consumer<ObjectNode>) s -> s.put("minReplicas", "one")),
        Arguments.of("maxReplicas", (Consumer<ObjectNode>) s -> s.put("maxReplicas", 2.5)),
        Arguments.of("maxReplicas", (Consumer<ObjectNode>) s -> s.put("maxReplicas", 1e12)),
        Arguments.of("cooldownPeriod", (Consumer<ObjectNode>) s -> s.put("cooldownPeriod", "5m")),
        Arguments.of("rules", (Consumer<ObjectNode>) s -> s.put("rules", "http")));
  }

  @Test
  void aGoodScaleIsStoredWithConcurrentRequestsAsAString() throws Exception {
    ObjectNode body = app();
    ObjectNode scale =
        scale(body)
            .put("minReplicas", 1)
            .put("maxReplicas", 1000)
            .put("cooldownPeriod", 0)
            .put("pollingInterval", 5);
    scale
        .putArray("rules")
        .addObject()
        .put("name", "http-rule")
        .putNull("custom")
        .putObject("http")
        .putObject("metadata")
        .put("concurrentRequests", 50);

    Reply r = f.put("good-scale", body);

    assertThat(r.status()).as(r.raw().body()).isIn(200, 201);
    assertThat(r.json().at("/properties/template/scale").toString())
        .isEqualTo(
            "{\"minReplicas\":1,\"maxReplicas\":1000,\"cooldownPeriod\":0,\"pollingInterval\":5,"
                + "\"rules\":[{\"name\":\"http-rule\",\"custom\":null,"
                + "\"http\":{\"metadata\":{\"concurrentRequests\":\"50\"}}}]}");
  }

  // ---- fixtures -------------------------------------------------------------------------------

  private static Arguments bad(
      String what, Consumer<ObjectNode> change, String field, String says) {
    return Arguments.of(what, change, field, says);
  }

  private static ObjectNode scale(ObjectNode app) {
    return ((ObjectNode) app.at("/properties/template")).putObject("scale");
  }

  private static void http(ObjectNode scale, String name, String concurrentRequests) {
    scale
        .putArray("rules")
        .addObject()
        .put("name", name)
        .putObject("http")
        .putObject("metadata")
        .put("concurrentRequests", concurrentRequests);
  }
}
