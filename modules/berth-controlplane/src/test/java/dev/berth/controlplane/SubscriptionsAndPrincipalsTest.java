package dev.berth.controlplane;

import static dev.berth.controlplane.support.ArmServer.SUB;
import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.controlplane.support.ArmServer;
import dev.berth.controlplane.support.ArmServer.Reply;
import dev.berth.controlplane.support.Fakes;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Subscriptions, tenants, provider registration and Berth's service principals over HTTP. */
class SubscriptionsAndPrincipalsTest {

  private static final String SP = "/providers/Berth.Identity/servicePrincipals";
  private static final String SPV = "?api-version=2025-01-01";
  private ArmServer arm;

  @BeforeEach
  void start() throws Exception {
    arm = new ArmServer(List.of(TestTypes.registries()));
  }

  @AfterEach
  void stop() throws Exception {
    arm.close();
  }

  @Test
  void subscriptionsListAsAzLoginNeedsThem() throws Exception {
    Reply list = arm.get("/subscriptions?api-version=2019-11-01", "reader");
    assertThat(list.status()).isEqualTo(200);
    assertThat(list.json().path("value")).hasSize(1);
    assertThat(list.json().at("/value/0/id").asText()).isEqualTo("/subscriptions/" + SUB);
    assertThat(list.json().at("/value/0/displayName").asText()).isEqualTo("Berth Local");
    assertThat(list.json().at("/value/0/state").asText()).isEqualTo("Enabled");
    assertThat(list.json().at("/value/0/tenantId").asText()).isEqualTo(Fakes.TENANT);
    assertThat(list.json().at("/value/0/authorizationSource").asText()).isEqualTo("RoleBased");
    assertThat(
            arm.get("/subscriptions/" + SUB + "?api-version=2022-12-01", "owner")
                .json()
                .path("subscriptionId")
                .asText())
        .isEqualTo(SUB);
    Reply missing = arm.get("/subscriptions/nope?api-version=2022-12-01", "owner");
    assertThat(missing.status()).isEqualTo(404);
    assertThat(missing.json().at("/error/code").asText()).isEqualTo("SubscriptionNotFound");
    Reply tenants = arm.get("/tenants?api-version=2020-01-01", "owner");
    assertThat(tenants.json().at("/value/0/id").asText()).isEqualTo("/tenants/" + Fakes.TENANT);
    assertThat(tenants.json().at("/value/0/tenantCategory").asText()).isEqualTo("Home");
  }

  @Test
  void aSubscriptionIsVisibleToWhoeverHoldsARoleInsideIt() throws Exception {
    assertThat(arm.get("/subscriptions?api-version=2019-11-01", "nobody").json().path("value"))
        .isEmpty();
    assertThat(arm.get("/subscriptions/" + SUB + "?api-version=2019-11-01", "nobody").status())
        .isEqualTo(403);
    String rg = "/subscriptions/" + SUB + "/resourceGroups/team";
    arm.put(rg + "?api-version=2021-04-01", "owner", "{\"location\":\"local\"}");
    arm.put(
        rg
            + "/providers/Microsoft.Authorization/roleAssignments/00000000-0000-4000-8000-000000000077?api-version=2022-04-01",
        "owner",
        "{\"properties\":{\"roleDefinitionId\":\"/providers/Microsoft.Authorization/roleDefinitions/"
            + Fakes.READER_ROLE
            + "\",\"principalId\":\""
            + Fakes.NOBODY.objectId()
            + "\"}}");
    assertThat(arm.get("/subscriptions?api-version=2019-11-01", "nobody").json().path("value"))
        .hasSize(1);
  }

  @Test
  void operationsCanBePolledByTheirStarterOrSubscriptionReaders() throws Exception {
    String rg = "/subscriptions/" + SUB + "/resourceGroups/polled?api-version=2021-04-01";
    arm.put(rg, "owner", "{\"location\":\"local\"}");
    String status = arm.send("DELETE", rg, "owner", null).header("Azure-AsyncOperation");
    assertThat(arm.get(status, "owner").status()).isEqualTo(200);
    assertThat(arm.get(status, "reader").status()).isEqualTo(200);
    Reply stranger = arm.get(status, "nobody");
    assertThat(stranger.status()).isEqualTo(403);
    assertThat(stranger.json().at("/error/code").asText()).isEqualTo("AuthorizationFailed");
    Reply unknown =
        arm.get(status.replaceAll("operationStatuses/[^?]+", "operationStatuses/nope"), "owner");
    assertThat(unknown.status()).isEqualTo(404);
  }

  @Test
  void providersAreRegisteredWithTheirTypesLocationsAndVersions() throws Exception {
    Reply acr =
        arm.get(
            "/subscriptions/"
                + SUB
                + "/providers/microsoft.containerregistry?api-version=2021-04-01",
            "owner");
    assertThat(acr.status()).isEqualTo(200);
    assertThat(acr.json().path("registrationState").asText()).isEqualTo("Registered");
    assertThat(acr.json().path("namespace").asText()).isEqualTo("Microsoft.ContainerRegistry");
    assertThat(acr.json().at("/resourceTypes/0/resourceType").asText()).isEqualTo("registries");
    assertThat(acr.json().at("/resourceTypes/0/locations/0").asText()).isEqualTo("local");
    assertThat(acr.json().at("/resourceTypes/0/apiVersions/0").asText()).isEqualTo("2023-07-01");
    Reply all = arm.get("/subscriptions/" + SUB + "/providers?api-version=2021-04-01", "owner");
    assertThat(all.json().findValuesAsText("namespace"))
        .contains("Microsoft.Resources", "Microsoft.Authorization", "Microsoft.ContainerRegistry");
    Reply registered =
        arm.send(
            "POST",
            "/subscriptions/"
                + SUB
                + "/providers/Microsoft.ContainerRegistry/register?api-version=2021-04-01",
            "owner",
            null);
    assertThat(registered.json().path("registrationState").asText()).isEqualTo("Registered");
    assertThat(
            arm.get(
                    "/subscriptions/" + SUB + "/providers/Microsoft.Nope?api-version=2021-04-01",
                    "owner")
                .status())
        .isEqualTo(404);
  }

  @Test
  void servicePrincipalsShowTheirSecretOnlyWhenCreatedOrReset() throws Exception {
    Reply created = arm.send("POST", SP + SPV, "owner", "{\"displayName\":\"ci\"}");
    assertThat(created.status()).isEqualTo(201);
    String appId = created.json().at("/properties/appId").asText();
    assertThat(created.json().path("id").asText()).isEqualTo(SP + "/" + appId);
    assertThat(created.json().path("type").asText()).isEqualTo("Berth.Identity/servicePrincipals");
    String secret = created.json().at("/properties/clientSecret").asText();
    assertThat(secret).matches("[A-Za-z0-9_-]{43}");
    assertThat(created.json().at("/properties/tenantId").asText()).isEqualTo(Fakes.TENANT);

    Reply one = arm.get(SP + "/" + appId + SPV, "owner");
    assertThat(one.json().at("/properties/displayName").asText()).isEqualTo("ci");
    assertThat(one.json().at("/properties/clientSecret").isMissingNode()).isTrue();
    assertThat(arm.get(SP + SPV, "owner").json().path("value")).hasSize(1);
    assertThat(arm.get(SP + SPV, "owner").raw().body()).doesNotContain(secret);

    Reply reset = arm.send("POST", SP + "/" + appId + "/resetSecret" + SPV, "owner", null);
    assertThat(reset.json().at("/properties/clientSecret").asText())
        .matches("[A-Za-z0-9_-]{43}")
        .isNotEqualTo(secret);

    assertThat(arm.send("POST", SP + SPV, "contributor", "{\"displayName\":\"x\"}").status())
        .isEqualTo(403);
    assertThat(arm.send("POST", SP + SPV, "owner", "{}").json().at("/error/code").asText())
        .isEqualTo("InvalidParameter");
    assertThat(arm.send("DELETE", SP + "/" + appId + SPV, "owner", null).status()).isEqualTo(200);
    assertThat(arm.send("DELETE", SP + "/" + appId + SPV, "owner", null).status()).isEqualTo(204);
    assertThat(arm.get(SP + "/" + appId + SPV, "owner").status()).isEqualTo(404);
  }
}
