package dev.berth.controlplane.providers.containerregistry;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.controlplane.support.ArmServer.Reply;
import dev.berth.controlplane.support.JsonArbitraries;
import dev.berth.http.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Registry, scope-map and token bodies under random JSON, nearly valid or of any shape, PUT over
 * real HTTP through the whole ARM chain: never a 5xx.
 */
class RegistryJsonFuzzTest {

  private static AcrFixture f;

  @BeforeContainer
  static void start() throws Exception {
    f = new AcrFixture();
    f.registry("fuzzbase", "{\"location\":\"local\",\"sku\":{\"name\":\"Basic\"}}");
  }

  @AfterContainer
  static void stop() throws Exception {
    f.arm.close();
  }

  @Property(tries = 300)
  void registryBodiesNeverAnswer5xx(@ForAll("registries") JsonNode body) throws Exception {
    Reply r = f.arm.put(AcrFixture.ACR + "fuzzacr" + AcrFixture.V, "owner", body.toString());
    assertThat(r.status()).as("%s → %s", body, r.raw().body()).isBetween(200, 499);
  }

  @Property(tries = 200)
  void scopeMapAndTokenBodiesNeverAnswer5xx(
      @ForAll("scopeMaps") JsonNode map, @ForAll("tokens") JsonNode token) throws Exception {
    Reply m =
        f.arm.put(
            AcrFixture.ACR + "fuzzbase/scopeMaps/fuzzmap" + AcrFixture.V, "owner", map.toString());
    assertThat(m.status()).as("%s → %s", map, m.raw().body()).isBetween(200, 499);
    Reply t =
        f.arm.put(
            AcrFixture.ACR + "fuzzbase/tokens/fuzztoken" + AcrFixture.V, "owner", token.toString());
    assertThat(t.status()).as("%s → %s", token, t.raw().body()).isBetween(200, 499);
  }

  @Provide
  Arbitrary<JsonNode> registries() throws IOException {
    return nearly(
        "{\"location\":\"local\",\"sku\":{\"name\":\"Premium\"},\"properties\":{"
            + "\"adminUserEnabled\":true,\"anonymousPullEnabled\":false,"
            + "\"publicNetworkAccess\":\"Enabled\",\"networkRuleSet\":{\"defaultAction\":\"Deny\","
            + "\"ipRules\":[{\"action\":\"Allow\",\"value\":\"10.0.0.0/8\"}]},"
            + "\"policies\":{\"azureADAuthenticationAsArmPolicy\":{\"status\":\"enabled\"}}}}");
  }

  @Provide
  Arbitrary<JsonNode> scopeMaps() throws IOException {
    return nearly(
        "{\"properties\":{\"description\":\"d\",\"actions\":["
            + "\"repositories/team-a/*/content/read\",\"repositories/x/metadata/write\"]}}");
  }

  @Provide
  Arbitrary<JsonNode> tokens() throws IOException {
    return nearly(
        "{\"properties\":{\"scopeMapId\":\""
            + AcrFixture.ACR
            + "fuzzbase/scopeMaps/_repositories_pull\",\"status\":\"enabled\"}}");
  }

  private static Arbitrary<JsonNode> nearly(String valid) throws IOException {
    JsonNode node = Json.parse(valid.getBytes(StandardCharsets.UTF_8));
    return Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(4, JsonArbitraries.mutationsOf(node)),
        net.jqwik.api.Tuple.of(1, JsonArbitraries.values(3)));
  }
}
