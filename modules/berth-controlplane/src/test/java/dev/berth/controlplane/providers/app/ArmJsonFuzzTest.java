package dev.berth.controlplane.providers.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.controlplane.support.ArmServer.Reply;
import dev.berth.controlplane.support.JsonArbitraries;
import dev.berth.http.Json;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * ARM JSON binding under random bodies: nearly-valid container apps (one to three members replaced
 * by random JSON), random JSON of any shape, and the same for registries and environments, each PUT
 * over real HTTP through the whole chain. Never a 5xx; a 2xx only for bodies that pass every check.
 */
class ArmJsonFuzzTest {

  private static AppFixture f;

  @BeforeContainer
  static void start() throws Exception {
    f = new AppFixture();
  }

  @AfterContainer
  static void stop() throws Exception {
    f.close();
  }

  @Property(tries = 400)
  void containerAppBodiesNeverAnswer5xx(@ForAll("apps") JsonNode body) throws Exception {
    Reply r = f.arm.put(AppFixture.APPS + "/fuzz" + AppFixture.V, "owner", body.toString());
    assertThat(r.status()).as("%s → %s", body, r.raw().body()).isBetween(200, 499);
  }

  @Property(tries = 200)
  void environmentBodiesNeverAnswer5xx(@ForAll("environments") JsonNode body) throws Exception {
    Reply r =
        f.arm.put(
            AppFixture.RG + "/providers/Microsoft.App/managedEnvironments/fuzzenv" + AppFixture.V,
            "owner",
            body.toString());
    assertThat(r.status()).as("%s → %s", body, r.raw().body()).isBetween(200, 499);
  }

  @Provide
  Arbitrary<JsonNode> apps() {
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
    return Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(4, JsonArbitraries.mutationsOf(valid)),
        net.jqwik.api.Tuple.of(1, JsonArbitraries.values(3)));
  }

  @Provide
  Arbitrary<JsonNode> environments() {
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
    return Arbitraries.oneOf(JsonArbitraries.mutationsOf(valid), JsonArbitraries.values(3));
  }
}
