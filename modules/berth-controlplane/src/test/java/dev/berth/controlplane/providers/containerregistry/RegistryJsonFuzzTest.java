package dev.berth.controlplane.providers.containerregistry;

import static dev.berth.testing.Fuzz.frequency;
import static dev.berth.testing.Fuzz.qt;
import static dev.berth.testing.Fuzz.unchecked;
import static dev.berth.testing.Fuzz.weighted;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.controlplane.support.ArmServer.Reply;
import dev.berth.http.Json;
import dev.berth.testing.JsonGenerators;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

/**
 * Registry, scope-map and token bodies under random JSON, nearly valid or of any shape, PUT over
 * real HTTP through the whole ARM chain: never a 5xx.
 */
class RegistryJsonFuzzTest {

  private static AcrFixture f;

  /** A scope map and a token to PUT one after the other. */
  record MapAndToken(JsonNode map, JsonNode token) {}

  @BeforeAll
  static void start() throws Exception {
    f = new AcrFixture();
    f.registry("fuzzbase", "{\"location\":\"local\",\"sku\":{\"name\":\"Basic\"}}");
  }

  @AfterAll
  static void stop() throws Exception {
    f.arm.close();
  }

  @Test
  void registryBodiesNeverAnswer5xx() throws IOException {
    qt(300)
        .forAll(registries())
        .checkAssert(
            unchecked(
                body -> {
                  Reply r =
                      f.arm.put(
                          AcrFixture.ACR + "fuzzacr" + AcrFixture.V, "owner", body.toString());
                  assertThat(r.status()).as("%s → %s", body, r.raw().body()).isBetween(200, 499);
                }));
  }

  @Test
  void scopeMapAndTokenBodiesNeverAnswer5xx() throws IOException {
    qt(200)
        .forAll(scopeMaps().zip(tokens(), MapAndToken::new))
        .checkAssert(
            unchecked(
                bodies -> {
                  Reply m =
                      f.arm.put(
                          AcrFixture.ACR + "fuzzbase/scopeMaps/fuzzmap" + AcrFixture.V,
                          "owner",
                          bodies.map().toString());
                  assertThat(m.status())
                      .as("%s → %s", bodies.map(), m.raw().body())
                      .isBetween(200, 499);
                  Reply t =
                      f.arm.put(
                          AcrFixture.ACR + "fuzzbase/tokens/fuzztoken" + AcrFixture.V,
                          "owner",
                          bodies.token().toString());
                  assertThat(t.status())
                      .as("%s → %s", bodies.token(), t.raw().body())
                      .isBetween(200, 499);
                }));
  }

  private static Gen<JsonNode> registries() throws IOException {
    return nearly(
        "{\"location\":\"local\",\"sku\":{\"name\":\"Premium\"},\"properties\":{"
            + "\"adminUserEnabled\":true,\"anonymousPullEnabled\":false,"
            + "\"publicNetworkAccess\":\"Enabled\",\"networkRuleSet\":{\"defaultAction\":\"Deny\","
            + "\"ipRules\":[{\"action\":\"Allow\",\"value\":\"10.0.0.0/8\"}]},"
            + "\"policies\":{\"azureADAuthenticationAsArmPolicy\":{\"status\":\"enabled\"}}}}");
  }

  private static Gen<JsonNode> scopeMaps() throws IOException {
    return nearly(
        "{\"properties\":{\"description\":\"d\",\"actions\":["
            + "\"repositories/team-a/*/content/read\",\"repositories/x/metadata/write\"]}}");
  }

  private static Gen<JsonNode> tokens() throws IOException {
    return nearly(
        "{\"properties\":{\"scopeMapId\":\""
            + AcrFixture.ACR
            + "fuzzbase/scopeMaps/_repositories_pull\",\"status\":\"enabled\"}}");
  }

  private static Gen<JsonNode> nearly(String valid) throws IOException {
    JsonNode node = Json.parse(valid.getBytes(StandardCharsets.UTF_8));
    return frequency(
        weighted(4, JsonGenerators.mutationsOf(node)), weighted(1, JsonGenerators.values(3)));
  }
}
