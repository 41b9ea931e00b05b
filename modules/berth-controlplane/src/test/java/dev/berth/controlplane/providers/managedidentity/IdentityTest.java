package dev.berth.controlplane.providers.managedidentity;

import static dev.berth.controlplane.support.ArmServer.SUB;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.api.Principal;
import dev.berth.api.Principal.PrincipalType;
import dev.berth.controlplane.support.ArmServer;
import dev.berth.controlplane.support.ArmServer.Reply;
import dev.berth.controlplane.support.Fakes;
import java.time.Clock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** User-assigned identities over real HTTP: synchronous writes, stable ids, lists, names. */
class IdentityTest {

  static final String RG = "/subscriptions/" + SUB + "/resourceGroups/rg1";
  static final String IDS = RG + "/providers/Microsoft.ManagedIdentity/userAssignedIdentities";
  static final String V = "?api-version=2023-01-31";
  static final String GUID = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";

  private ArmServer arm;

  @BeforeEach
  void start() throws Exception {
    arm =
        ArmServer.withTypes(
            store -> ManagedIdentityProvider.resourceTypes(store, Fakes.TENANT, Clock.systemUTC()));
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

  private Reply create(String name) throws Exception {
    return arm.put(IDS + "/" + name + V, "owner", "{\"location\":\"local\"}");
  }

  @Test
  void createIsSynchronous201WithTenantPrincipalAndClientIds() throws Exception {
    Reply created =
        arm.put(
            IDS + "/pull-id" + V,
            "owner",
            "{\"location\":\"local\",\"properties\":{\"principalId\":\"evil\",\"clientId\":\"x\"}}");

    assertThat(created.status()).as(created.raw().body()).isEqualTo(201);
    assertThat(created.header("Azure-AsyncOperation")).isNull();
    JsonNode p = created.json().path("properties");
    assertThat(p.path("tenantId").asText()).isEqualTo(Fakes.TENANT);
    assertThat(p.path("principalId").asText()).matches(GUID);
    assertThat(p.path("clientId").asText()).matches(GUID).isNotEqualTo(p.path("principalId"));
    assertThat(p.path("isolationScope").asText()).isEqualTo("None");
    assertThat(created.json().path("type").asText())
        .isEqualTo("Microsoft.ManagedIdentity/userAssignedIdentities");
    assertThat(created.json().path("id").asText()).isEqualTo(IDS + "/pull-id");
  }

  @Test
  void identicalPutIs200AndKeepsTheIds() throws Exception {
    JsonNode first = create("pull-id").json().path("properties");

    Reply again = create("pull-id");

    assertThat(again.status()).isEqualTo(200);
    JsonNode p = again.json().path("properties");
    assertThat(p.path("principalId")).isEqualTo(first.path("principalId"));
    assertThat(p.path("clientId")).isEqualTo(first.path("clientId"));
    assertThat(arm.get(IDS + "/pull-id" + V, "owner").json().path("properties"))
        .isEqualTo(again.json().path("properties"));
  }

  @Test
  void patchOfTagsKeepsTheIds() throws Exception {
    JsonNode first = create("pull-id").json().path("properties");

    Reply patched =
        arm.send(
            "PATCH",
            IDS + "/pull-id" + V,
            "owner",
            "{\"tags\":{\"env\":\"dev\"},\"properties\":{\"clientId\":\"nope\"}}");

    assertThat(patched.status()).as(patched.raw().body()).isEqualTo(200);
    assertThat(patched.json().at("/tags/env").asText()).isEqualTo("dev");
    JsonNode p = arm.get(IDS + "/pull-id" + V, "owner").json().path("properties");
    assertThat(p.path("principalId")).isEqualTo(first.path("principalId"));
    assertThat(p.path("clientId")).isEqualTo(first.path("clientId"));
    assertThat(p.path("tenantId").asText()).isEqualTo(Fakes.TENANT);
  }

  @Test
  void identitiesAppearInGroupAndSubscriptionLists() throws Exception {
    create("pull-id");
    create("push-id");
    String bySub =
        "/subscriptions/" + SUB + "/providers/Microsoft.ManagedIdentity/userAssignedIdentities" + V;
    for (String url : new String[] {IDS + V, bySub}) {
      Reply list = arm.get(url, "owner");
      assertThat(list.status()).as(url).isEqualTo(200);
      assertThat(list.json().path("value")).hasSize(2);
      assertThat(list.json().findValuesAsText("name")).contains("pull-id", "push-id");
    }
    assertThat(arm.get(IDS + "/pull-id" + V, "owner").json().path("name").asText())
        .isEqualTo("pull-id");
  }

  @Test
  void deleteIs200ThenNotFoundIs204() throws Exception {
    create("pull-id");

    assertThat(arm.send("DELETE", IDS + "/pull-id" + V, "owner", null).status()).isEqualTo(200);
    assertThat(arm.send("DELETE", IDS + "/pull-id" + V, "owner", null).status()).isEqualTo(204);
    assertThat(arm.get(IDS + "/pull-id" + V, "owner").status()).isEqualTo(404);
  }

  @ParameterizedTest
  @ValueSource(strings = {"ab", "-starts-with-hyphen", "_under", "has.dot", "has%20space"})
  void badNamesAre400InvalidResourceName(String name) throws Exception {
    Reply r = create(name);
    assertThat(r.status()).as(r.raw().body()).isEqualTo(400);
    assertThat(r.json().at("/error/code").asText()).isEqualTo("InvalidResourceName");
  }

  @Test
  void nameOf128CharactersIsAcceptedAnd129Refused() throws Exception {
    assertThat(create("a".repeat(128)).status()).isEqualTo(201);
    assertThat(create("a".repeat(129)).status()).isEqualTo(400);
  }

  @Test
  void lookupByPrincipalIdFindsTheIdentityUntilItIsDeleted() throws Exception {
    JsonNode p = create("pull-id").json().path("properties");
    ManagedIdentities identities = ManagedIdentities.of(arm.store);

    Principal found = identities.byPrincipalId(p.path("principalId").asText()).orElseThrow();

    assertThat(found)
        .isEqualTo(
            new Principal(
                p.path("principalId").asText(),
                Fakes.TENANT,
                p.path("clientId").asText(),
                PrincipalType.ServicePrincipal,
                "pull-id"));
    assertThat(identities.byPrincipalId(p.path("clientId").asText())).isEmpty();

    arm.send("DELETE", IDS + "/pull-id" + V, "owner", null);
    assertThat(identities.byPrincipalId(p.path("principalId").asText())).isEmpty();
  }

  /**
   * The Microsoft.ManagedIdentity api-versions real clients send, listed here rather than read from
   * {@link ManagedIdentityProvider#API_VERSIONS}, so that dropping one from the provider fails the
   * client's line. Each is a version of the REST specs, under {@code
   * specification/msi/resource-manager/Microsoft.ManagedIdentity/} of Azure/azure-rest-api-specs.
   */
  @ParameterizedTest(name = "{0}, sent by {1}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          # preview/2022-01-31-preview/ManagedIdentity.json: Debian's az 2.45, its latest profile
          # (azure/cli/core/profiles/_shared.py, MGMT_MSI): az identity, and the containerapp
          # extension's identity look-ups through it.
          2022-01-31-preview | az 2.45 identity
          # stable/2024-11-30/ManagedIdentity.json: azure-resourcemanager-msi 2.53.8, the Java SDK
          # of this project's ITs (its ManagedServiceIdentityClientImpl's api-version).
          2024-11-30         | azure-resourcemanager-msi 2.53.8
          # stable/2023-01-31/ManagedIdentity.json: berth-cli's IdentityCommand.API_VERSION.
          2023-01-31         | berth identity
          """)
  void everyApiVersionClientsSendIsAccepted(String version, String client) throws Exception {
    create("pull-id");

    Reply r = arm.get(IDS + "/pull-id?api-version=" + version, "owner");

    assertThat(r.status()).as(client + ": " + r.raw().body()).isEqualTo(200);
  }

  @Test
  void anUnknownApiVersionIs400() throws Exception {
    create("pull-id");

    assertThat(arm.get(IDS + "/pull-id?api-version=2099-01-01", "owner").status()).isEqualTo(400);
  }
}
