package dev.berth.controlplane.providers.app;

import static dev.berth.testing.Fuzz.frequency;
import static dev.berth.testing.Fuzz.oneOf;
import static dev.berth.testing.Fuzz.qt;
import static dev.berth.testing.Fuzz.unchecked;
import static dev.berth.testing.Fuzz.weighted;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.controlplane.support.ArmServer.Reply;
import dev.berth.http.Json;
import dev.berth.testing.JsonGenerators;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

/**
 * ARM JSON binding under random bodies: nearly-valid container apps (one to three members replaced
 * by random JSON), random JSON of any shape, and the same for registries and environments, each PUT
 * over real HTTP through the whole chain. Never a 5xx; a 2xx only for bodies that pass every check.
 */
class ArmJsonFuzzTest {

  private static AppFixture f;

  @BeforeAll
  static void start() throws Exception {
    f = new AppFixture();
  }

  @AfterAll
  static void stop() throws Exception {
    f.close();
  }

  @Test
  void containerAppBodiesNeverAnswer5xx() {
    qt(400)
        .forAll(apps())
        .checkAssert(
            unchecked(
                body -> {
                  Reply r =
                      f.arm.put(AppFixture.APPS + "/fuzz" + AppFixture.V, "owner", body.toString());
                  assertThat(r.status()).as("%s → %s", body, r.raw().body()).isBetween(200, 499);
                }));
  }

  @Test
  void environmentBodiesNeverAnswer5xx() {
    qt(200)
        .forAll(environments())
        .checkAssert(
            unchecked(
                body -> {
                  Reply r =
                      f.arm.put(
                          AppFixture.RG
                              + "/providers/Microsoft.App/managedEnvironments/fuzzenv"
                              + AppFixture.V,
                          "owner",
                          body.toString());
                  assertThat(r.status()).as("%s → %s", body, r.raw().body()).isBetween(200, 499);
                }));
  }

  private static Gen<JsonNode> apps() {
    ObjectNode valid = AppFixture.app();
    ObjectNode c = AppFixture.container(valid);
    c.putObject("resources").put("cpu", 0.5).put("memory", "1Gi");
    c.putArray("env").addObject().put("name", "A").put("secretRef", "s1");
    c.putArray("probes")
        .addObject()
        .put("type", "Liveness")
        .put("periodSeconds", 10)
        .putObject("httpGet")
        .put("path", "/")
        .put("port", 80);
    ObjectNode config = AppFixture.configuration(valid);
    config.putArray("secrets").addObject().put("name", "s1").put("value", "v");
    config
        .putObject("ingress")
        .put("targetPort", 80)
        .putArray("traffic")
        .addObject()
        .put("latestRevision", true)
        .put("weight", 100);
    ((ObjectNode) valid.at("/properties/template"))
        .putObject("scale")
        .put("minReplicas", 0)
        .put("maxReplicas", 3);
    return frequency(
        weighted(4, JsonGenerators.mutationsOf(valid)), weighted(1, JsonGenerators.values(3)));
  }

  private static Gen<JsonNode> environments() {
    JsonNode valid =
        Json.object()
            .put("location", "local")
            .set(
                "properties",
                Json.object()
                    .set(
                        "workloadProfiles",
                        Json.MAPPER
                            .createArrayNode()
                            .add(
                                Json.object()
                                    .put("name", "Consumption")
                                    .put("workloadProfileType", "Consumption"))));
    return oneOf(JsonGenerators.mutationsOf(valid), JsonGenerators.values(3));
  }
}
