package dev.berth.controlplane.providers.app;

import static dev.berth.controlplane.support.ArmServer.SUB;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.api.ResourceId;
import dev.berth.controlplane.providers.app.internal.SequentialOutboundAddresses;
import dev.berth.controlplane.support.ArmServer;
import dev.berth.controlplane.support.ArmServer.Reply;
import dev.berth.http.Json;
import dev.berth.store.Precondition;
import java.time.Duration;
import java.util.Locale;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Managed environments over real HTTP: long-running create, read-only properties, delete rules. */
class ManagedEnvironmentTest {

  private static final String RG = "/subscriptions/" + SUB + "/resourceGroups/rg1";
  private static final String ENVS = RG + "/providers/Microsoft.App/managedEnvironments";
  private static final String V = "?api-version=2025-07-01";
  private static final String MINIMAL =
      "{\"location\":\"local\",\"properties\":{\"workloadProfiles\":"
          + "[{\"name\":\"Consumption\",\"workloadProfileType\":\"Consumption\"}]}}";

  private final SequentialOutboundAddresses addresses = new SequentialOutboundAddresses(10);
  private ArmServer arm;

  @BeforeEach
  void start() throws Exception {
    arm = ArmServer.withTypes(store -> AppProvider.managedEnvironmentTypes(store, addresses));
    Reply rg =
        arm.put(
            "/subscriptions/" + SUB + "/resourcegroups/rg1?api-version=2021-04-01",
            "owner",
            "{\"location\":\"local\"}");
    assertThat(rg.status()).isIn(200, 201);
  }

  @AfterEach
  void stop() throws Exception {
    arm.close();
  }

  private Reply settled(String url) {
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () -> {
              JsonNode j = arm.get(url, "owner").json();
              String s = j == null ? "" : j.at("/properties/provisioningState").asText();
              return s.equals("Succeeded") || s.equals("Failed");
            });
    try {
      return arm.get(url, "owner");
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private JsonNode environment(String name) throws Exception {
    Reply created = arm.put(ENVS + "/" + name + V, "owner", MINIMAL);
    assertThat(created.status()).as(created.raw().body()).isEqualTo(201);
    return settled(ENVS + "/" + name + V).json();
  }

  @Test
  void createIs201LongRunningThenSucceedsWithDomainAndAddressKeptOnPutAndPatch() throws Exception {
    Reply created =
        arm.put(
            ENVS + "/env1" + V,
            "owner",
            "{\"location\":\"local\",\"properties\":{\"staticIp\":\"10.9.9.9\","
                + "\"appLogsConfiguration\":{\"destination\":\"none\"}}}");
    assertThat(created.status()).as(created.raw().body()).isEqualTo(201);
    assertThat(created.header("Azure-AsyncOperation")).contains("/operationStatuses/");

    JsonNode env = settled(ENVS + "/env1" + V).json();
    JsonNode p = env.path("properties");
    assertThat(env.path("type").asText()).isEqualTo("Microsoft.App/managedEnvironments");
    assertThat(p.path("provisioningState").asText()).isEqualTo("Succeeded");
    assertThat(p.path("defaultDomain").asText()).matches("env1\\.[a-z0-9]{8}\\.localhost");
    assertThat(p.path("staticIp").asText()).isEqualTo("127.0.0.10");
    assertThat(p.path("outboundAddress").asText()).isEqualTo("127.0.0.10");
    assertThat(p.path("eventStreamEndpoint").asText())
        .startsWith("https://localhost/subscriptions/")
        .endsWith("/managedEnvironments/env1/eventstream");
    assertThat(p.at("/workloadProfiles/0/name").asText()).isEqualTo("Consumption");
    assertThat(p.at("/workloadProfiles/0/workloadProfileType").asText()).isEqualTo("Consumption");
    assertThat(p.at("/appLogsConfiguration/destination").asText()).isEqualTo("none");
    assertThat(p.path("zoneRedundant").asBoolean(true)).isFalse();
    String domain = p.path("defaultDomain").asText();

    // az echoes the GET back with PUT: the computed properties stay as they were.
    Reply again = arm.put(ENVS + "/env1" + V, "owner", env.toString());
    assertThat(again.status()).as(again.raw().body()).isIn(200, 201);
    p = settled(ENVS + "/env1" + V).json().path("properties");
    assertThat(p.path("defaultDomain").asText()).isEqualTo(domain);
    assertThat(p.path("staticIp").asText()).isEqualTo("127.0.0.10");

    Reply patched =
        arm.send(
            "PATCH",
            ENVS + "/env1" + V,
            "owner",
            "{\"properties\":{\"zoneRedundant\":true,\"defaultDomain\":\"evil.example\"}}");
    assertThat(patched.status()).as(patched.raw().body()).isIn(200, 202);
    p = settled(ENVS + "/env1" + V).json().path("properties");
    assertThat(p.path("zoneRedundant").asBoolean()).isTrue();
    assertThat(p.path("defaultDomain").asText()).isEqualTo(domain);
    assertThat(p.path("staticIp").asText()).isEqualTo("127.0.0.10");
    assertThat(addresses.assigned()).hasSize(1);
  }

  /**
   * The Microsoft.App api-versions real clients send, listed here rather than read from {@link
   * AppProvider#API_VERSIONS}, so that dropping one from the provider fails the client's line. Each
   * is a version of the REST specs, under {@code specification/app/resource-manager/Microsoft.App/}
   * of Azure/azure-rest-api-specs.
   */
  @ParameterizedTest(name = "{0}, sent by {1}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          # preview/2023-05-02-preview/ManagedEnvironments.json: the containerapp extension 0.3.41
          # that Debian's az 2.45 needs (its own az has no containerapp module). Its HISTORY.rst:
          # 2023-05-02-preview features from 0.3.37, the upgrade to 2023-08-01-preview in 0.3.44.
          2023-05-02-preview | az containerapp extension 0.3.41
          # stable/2025-01-01/ManagedEnvironments.json: azure-resourcemanager-appcontainers 1.1.0,
          # the Java SDK of this project's ITs (its ContainerAppsApiClientImpl's api-version).
          2025-01-01         | azure-resourcemanager-appcontainers 1.1.0
          # stable/2025-07-01/ManagedEnvironments.json: berth-cli's ContainerApps.API_VERSION.
          2025-07-01         | berth containerapp
          """)
  void everyApiVersionClientsSendIsAccepted(String version, String client) throws Exception {
    environment("env1");

    Reply r = arm.get(ENVS + "/env1?api-version=" + version, "owner");

    assertThat(r.status()).as(client + ": " + r.raw().body()).isEqualTo(200);
  }

  @Test
  void anUnknownApiVersionIs400AndAssignsNoAddress() throws Exception {
    Reply unknown = arm.put(ENVS + "/env1?api-version=2022-01-01-preview", "owner", MINIMAL);
    assertThat(unknown.status()).isEqualTo(400);
    assertThat(unknown.json().at("/error/code").asText()).isNotBlank();
    assertThat(addresses.assigned()).isEmpty();
  }

  @Test
  void environmentsAppearInGroupAndSubscriptionLists() throws Exception {
    environment("env1");
    environment("env2");
    String bySub = "/subscriptions/" + SUB + "/providers/Microsoft.App/managedEnvironments" + V;
    for (String url : new String[] {ENVS + V, bySub}) {
      Reply list = arm.get(url, "owner");
      assertThat(list.status()).as(url).isEqualTo(200);
      assertThat(list.json().path("value")).hasSize(2);
      assertThat(list.json().findValuesAsText("name")).contains("env1", "env2");
    }
  }

  @Test
  void deleteReleasesTheAddress() throws Exception {
    environment("env1");
    assertThat(addresses.assigned()).containsKey("127.0.0.10");
    Reply deleted = arm.send("DELETE", ENVS + "/env1" + V, "owner", null);
    assertThat(deleted.status()).isIn(200, 202, 204);
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> arm.get(ENVS + "/env1" + V, "owner").status() == 404);
    assertThat(addresses.assigned()).isEmpty();
  }

  @Test
  void deleteIsRefusedWhileAContainerAppUsesTheEnvironment() throws Exception {
    JsonNode env = environment("env1");
    ResourceId app = ResourceId.parse(RG + "/providers/Microsoft.App/containerApps/app1");
    arm.store.put(
        app,
        Json.object()
            .put("location", "local")
            .set(
                "properties",
                Json.object()
                    .put("managedEnvironmentId", env.path("id").asText().toUpperCase(Locale.ROOT))),
        Precondition.NONE);

    Reply refused = arm.send("DELETE", ENVS + "/env1" + V, "owner", null);
    assertThat(refused.status()).isEqualTo(409);
    assertThat(refused.json().at("/error/details/0/code").asText())
        .isEqualTo("ManagedEnvironmentHasContainerApps");
    assertThat(arm.get(ENVS + "/env1" + V, "owner").status()).isEqualTo(200);
    assertThat(addresses.assigned()).hasSize(1);

    arm.store.deleteTree(app);
    Reply deleted = arm.send("DELETE", ENVS + "/env1" + V, "owner", null);
    assertThat(deleted.status()).isIn(200, 202, 204);
  }

  @Test
  void namesMustBeLowerCaseDnsLabels() throws Exception {
    for (String bad : new String[] {"Env1", "1env", "env-", "my--env", "a".repeat(61)}) {
      Reply r = arm.put(ENVS + "/" + bad + V, "owner", MINIMAL);
      assertThat(r.status()).as(bad).isEqualTo(400);
      assertThat(r.json().at("/error/code").asText()).isEqualTo("InvalidResourceName");
    }
  }

  /**
   * Settings Berth does not act on are still stored and read back by the SDKs, so they must have
   * the shape the SDKs read: stored otherwise, every later GET failed to deserialise.
   */
  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "\"workloadProfiles\":\"Consumption\"|properties.workloadProfiles",
        "\"workloadProfiles\":[7]|properties.workloadProfiles[0]",
        "\"workloadProfiles\":[{\"name\":\"\",\"workloadProfileType\":\"Consumption\"}]"
            + "|properties.workloadProfiles[0].name",
        "\"workloadProfiles\":[{\"name\":\"Consumption\",\"workloadProfileType\":{}}]"
            + "|properties.workloadProfiles[0].workloadProfileType",
        "\"appLogsConfiguration\":-1|properties.appLogsConfiguration",
        "\"appLogsConfiguration\":{\"destination\":[]}|properties.appLogsConfiguration.destination",
        "\"zoneRedundant\":\"maybe\"|properties.zoneRedundant"
      })
  void aSettingOfTheWrongShapeIs400NamingIt(String property, String target) throws Exception {
    Reply r =
        arm.put(
            ENVS + "/shape" + V,
            "owner",
            "{\"location\":\"local\",\"properties\":{" + property + "}}");

    assertThat(r.status()).as(r.raw().body()).isEqualTo(400);
    assertThat(r.json().at("/error/code").asText()).isEqualTo("InvalidRequestContent");
    assertThat(r.json().at("/error/target").asText()).isEqualTo(target);
    assertThat(arm.get(ENVS + "/shape" + V, "owner").status()).isEqualTo(404);
  }
}
