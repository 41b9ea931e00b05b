package dev.berth.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code az containerapp env create -n NAME -g RG} with its defaults, replayed request for request
 * against Berth (docs/az-containerapp.md, "Environments"): the providers' registration and location
 * checks, a new Log Analytics workspace, its shared key, the environment that names it. The key is
 * a secret: no reply but {@code sharedKeys}' shows it and no file of Berth's holds it in clear.
 */
class AzEnvCreateCallsIT {

  @RegisterExtension static final RunningBerth BERTH = new RunningBerth();

  static RegistryFixture fx;
  static AzLogCalls az;

  @BeforeAll
  static void aGroup() throws Exception {
    fx = new RegistryFixture(BERTH);
    assertThat(
            fx.https
                .send(
                    "PUT",
                    fx.group("azenv") + "?api-version=2021-04-01",
                    fx.owner,
                    "{\"location\":\"local\"}")
                .statusCode())
        .isIn(200, 201);
    az = new AzLogCalls(BERTH, fx.owner);
  }

  @Test
  void envCreateWithItsDefaultsMakesAWorkspaceThatTheEnvironmentNames() throws Exception {
    String sub = "/subscriptions/" + BERTH.bootstrap().subscriptionId();
    String workspaceId =
        sub
            + "/resourcegroups/azenv/providers/Microsoft.OperationalInsights/workspaces/workspace-azenvq7x2";
    az.sent.clear();

    JsonNode env = az.envCreate("azenv", "env1", "local", "workspace-azenvq7x2");

    assertThat(az.sent.subList(0, 6))
        .containsExactly(
            "GET " + sub + "/providers/Microsoft.App",
            "GET " + sub + "/providers/Microsoft.OperationalInsights",
            "GET " + sub + "/providers/Microsoft.OperationalInsights",
            "PUT " + workspaceId,
            "POST " + workspaceId + "/sharedKeys",
            "GET " + sub + "/providers/Microsoft.App");
    JsonNode workspace = az.arm("GET", workspaceId + "?api-version=" + AzLogCalls.WORKSPACES, null);
    String customerId = workspace.at("/properties/customerId").asText();
    assertThat(customerId).matches("[0-9a-f-]{36}");
    assertThat(env.at("/properties/provisioningState").asText()).isEqualTo("Succeeded");
    assertThat(env.at("/properties/appLogsConfiguration/destination").asText())
        .isEqualTo("log-analytics");
    assertThat(
            env.at("/properties/appLogsConfiguration/logAnalyticsConfiguration/customerId")
                .asText())
        .isEqualTo(customerId);

    String key =
        az.arm("POST", workspaceId + "/sharedKeys?api-version=" + AzLogCalls.SHARED_KEYS, null)
            .path("primarySharedKey")
            .asText();
    assertThat(key).hasSizeGreaterThan(80);
    assertThat(env.toString()).doesNotContain(key).doesNotContain("sharedKey");
    assertThat(workspace.toString()).doesNotContain(key);
    // The list az reads to find a workspace by --logs-workspace-id.
    JsonNode all =
        az.arm(
            "GET",
            sub
                + "/providers/Microsoft.OperationalInsights/workspaces?api-version="
                + AzLogCalls.WORKSPACES,
            null);
    assertThat(all.path("value").findValuesAsText("customerId")).contains(customerId);
    assertThat(filesHolding(key)).as("files holding the shared key in clear").isEmpty();
  }

  @Test
  void anEnvironmentCannotNameAWorkspaceWithAWrongKeyOrOneThatDoesNotExist() throws Exception {
    az.envCreate("azenv", "env2", "local", "workspace-azenvk3y9");
    String workspaceId =
        fx.group("azenv")
            + "/providers/Microsoft.OperationalInsights/workspaces/workspace-azenvk3y9";
    String customerId =
        az.arm("GET", workspaceId + "?api-version=" + AzLogCalls.WORKSPACES, null)
            .at("/properties/customerId")
            .asText();
    String envId = fx.group("azenv") + "/providers/Microsoft.App/managedEnvironments/env3";
    for (String[] c :
        List.of(
            new String[] {customerId, "d3Jvbmcta2V5", "sharedKey"},
            new String[] {"00000000-1111-2222-3333-444444444444", "a2V5", "customerId"})) {
      String body =
          "{\"location\":\"local\",\"properties\":{\"appLogsConfiguration\":{\"destination\":"
              + "\"log-analytics\",\"logAnalyticsConfiguration\":{\"customerId\":\""
              + c[0]
              + "\",\"sharedKey\":\""
              + c[1]
              + "\"}}}}";
      assertThatThrownBy(() -> az.arm("PUT", envId + "?api-version=" + AzCalls.PREVIEW, body))
          .isInstanceOfSatisfying(
              AzCalls.AzError.class,
              e -> {
                assertThat(e.status).isEqualTo(400);
                assertThat(e.code).isEqualTo("InvalidParameter");
              })
          .hasMessageNotContaining(c[1])
          .hasMessageContaining(c[2]);
    }
  }

  @Test
  void aReaderGetsNoSharedKeys() throws Exception {
    az.envCreate("azenv", "env4", "local", "workspace-azenvr5d1");
    String workspaceId =
        fx.group("azenv")
            + "/providers/Microsoft.OperationalInsights/workspaces/workspace-azenvr5d1";
    Principals principals = new Principals(fx.https, fx.boot, fx.owner);
    String reader =
        principals.withRole("acdd72a7-3385-48ef-bd42-f606fba81ae7", fx.group("azenv")).token();
    var r = fx.https.send("POST", workspaceId + "/sharedKeys?api-version=2020-08-01", reader, null);
    assertThat(r.statusCode()).isEqualTo(403);
    assertThat(Https.json(r).at("/error/code").asText()).isEqualTo("AuthorizationFailed");
    assertThat(
            fx.https
                .send("GET", workspaceId + "?api-version=2022-10-01", reader, null)
                .statusCode())
        .isEqualTo(200);
  }

  /** Every file under Berth's data directory whose bytes contain {@code secret}. */
  private static List<Path> filesHolding(String secret) throws Exception {
    byte[] needle = secret.getBytes(StandardCharsets.UTF_8);
    try (Stream<Path> files = Files.walk(BERTH.dataDir())) {
      return files
          .filter(Files::isRegularFile)
          .filter(
              f -> {
                try {
                  return indexOf(Files.readAllBytes(f), needle) >= 0;
                } catch (java.io.IOException e) {
                  return false;
                }
              })
          .toList();
    }
  }

  private static int indexOf(byte[] hay, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= hay.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (hay[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
