package dev.berth.controlplane.providers.containerregistry;

import static dev.berth.controlplane.providers.containerregistry.AcrFixture.ACR;
import static dev.berth.controlplane.providers.containerregistry.AcrFixture.SUB2;
import static dev.berth.controlplane.providers.containerregistry.AcrFixture.V;
import static dev.berth.controlplane.support.ArmServer.SUB;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.api.ResourceId;
import dev.berth.api.acr.AcrDocuments;
import dev.berth.controlplane.support.ArmServer.Reply;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Registries over real HTTP: creation, lists, PATCH of policies and network rules, names. */
class RegistryApiTest {

  private AcrFixture acr;

  @BeforeEach
  void start() throws Exception {
    acr = new AcrFixture();
  }

  @AfterEach
  void stop() throws Exception {
    acr.close();
  }

  @Test
  void createIs201AndLongRunningThenSucceedsWithLoginServerAndEveryDefault() throws Exception {
    Reply created =
        acr.arm.put(
            ACR + "myacr" + V,
            "owner",
            "{\"location\":\"local\",\"sku\":{\"name\":\"premium\"},"
                + "\"properties\":{\"adminUserEnabled\":false,\"anonymousPullEnabled\":false,"
                + "\"loginServer\":\"evil.example\"}}");
    assertThat(created.status()).isEqualTo(201);
    assertThat(created.header("Azure-AsyncOperation")).contains("/operationStatuses/");
    assertThat(created.json().at("/properties/provisioningState").asText()).isEqualTo("InProgress");

    JsonNode reg = acr.settled(ACR + "myacr" + V).json();
    JsonNode p = reg.path("properties");
    assertThat(p.path("provisioningState").asText()).isEqualTo("Succeeded");
    assertThat(p.path("loginServer").asText()).isEqualTo("localhost:40000");
    assertThat(acr.loginServers.assigned()).containsKey("localhost:40000");
    assertThat(reg.at("/sku/name").asText()).isEqualTo("Premium");
    assertThat(reg.at("/sku/tier").asText()).isEqualTo("Premium");
    assertThat(p.path("creationDate").asText()).isNotBlank();
    assertThat(p.path("adminUserEnabled").asBoolean(true)).isFalse();
    assertThat(p.path("publicNetworkAccess").asText()).isEqualTo("Enabled");
    assertThat(p.path("networkRuleBypassOptions").asText()).isEqualTo("AzureServices");
    assertThat(p.at("/networkRuleSet/defaultAction").asText()).isEqualTo("Allow");
    assertThat(p.at("/networkRuleSet/ipRules").isArray()).isTrue();
    assertThat(p.path("roleAssignmentMode").asText()).isEqualTo("LegacyRegistryPermissions");
    assertThat(p.at("/policies/azureADAuthenticationAsArmPolicy/status").asText())
        .isEqualTo("enabled");
    assertThat(p.at("/policies/exportPolicy/status").asText()).isEqualTo("enabled");
    assertThat(p.at("/policies/quarantinePolicy/status").asText()).isEqualTo("disabled");
    assertThat(p.at("/policies/trustPolicy/type").asText()).isEqualTo("Notary");
    assertThat(p.at("/policies/retentionPolicy/days").asInt()).isEqualTo(7);
    assertThat(p.at("/policies/softDeletePolicy/status").asText()).isEqualTo("disabled");
    assertThat(p.at("/encryption/status").asText()).isEqualTo("disabled");
    assertThat(p.path("dataEndpointEnabled").asBoolean(true)).isFalse();
    assertThat(p.path("dataEndpointHostNames").isArray()).isTrue();
    assertThat(p.path("privateEndpointConnections").isArray()).isTrue();
    assertThat(p.path("zoneRedundancy").asText()).isEqualTo("Disabled");

    // az echoes the GET back with PUT: nothing changes, the login server stays.
    Reply again = acr.arm.put(ACR + "myacr" + V, "owner", reg.toString());
    assertThat(again.status()).isEqualTo(200);
    assertThat(again.json().at("/properties/loginServer").asText()).isEqualTo("localhost:40000");
  }

  @Test
  void skuIsRequiredAndMustBeBasicStandardOrPremium() throws Exception {
    Reply none = acr.arm.put(ACR + "nosku1" + V, "owner", "{\"location\":\"local\"}");
    assertThat(none.status()).isEqualTo(400);
    assertThat(none.json().at("/error/code").asText()).isEqualTo("InvalidParameter");
    Reply classic =
        acr.arm.put(
            ACR + "classic1" + V,
            "owner",
            "{\"location\":\"local\",\"sku\":{\"name\":\"Classic\"}}");
    assertThat(classic.status()).isEqualTo(400);
    assertThat(acr.loginServers.assigned()).isEmpty();
  }

  @Test
  void registriesAppearInEveryListIncludingTheResourcesFilterAzUses() throws Exception {
    acr.registry("myacr");
    String byGroup = AcrFixture.RG + "/providers/Microsoft.ContainerRegistry/registries" + V;
    String bySub =
        "/subscriptions/" + SUB + "/providers/Microsoft.ContainerRegistry/registries" + V;
    String filter =
        "/subscriptions/"
            + SUB
            + "/resources?$filter=resourceType%20eq%20'Microsoft.ContainerRegistry/registries'"
            + "&api-version=2021-04-01";
    for (String url : new String[] {byGroup, bySub, filter}) {
      Reply list = acr.arm.get(url, "owner");
      assertThat(list.status()).as(url).isEqualTo(200);
      assertThat(list.json().path("value")).hasSize(1);
      assertThat(list.json().at("/value/0/name").asText()).isEqualTo("myacr");
      assertThat(list.json().at("/value/0/id").asText()).isEqualTo(ACR + "myacr");
    }
  }

  @Test
  void patchTurnsAuthenticationAsArmOffAndOnAndKeepsTheOtherPolicies() throws Exception {
    acr.registry("myacr");
    String off =
        "{\"properties\":{\"policies\":{\"azureADAuthenticationAsArmPolicy\":{\"status\":\"disabled\"}}}}";
    Reply patched = acr.patch(ACR + "myacr" + V, off);
    assertThat(patched.status()).isEqualTo(201);
    JsonNode p = acr.settled(ACR + "myacr" + V).json().path("properties");
    assertThat(p.at("/policies/azureADAuthenticationAsArmPolicy/status").asText())
        .isEqualTo("disabled");
    assertThat(p.at("/policies/exportPolicy/status").asText()).isEqualTo("enabled");
    assertThat(p.path("loginServer").asText()).isEqualTo("localhost:40000");

    acr.patch(ACR + "myacr" + V, off.replace("disabled", "Enabled"));
    p = acr.settled(ACR + "myacr" + V).json().path("properties");
    assertThat(p.at("/policies/azureADAuthenticationAsArmPolicy/status").asText())
        .isEqualTo("enabled");
  }

  @Test
  void networkRulesAreAddedRemovedAndCheckedAsIpv4OrCidr() throws Exception {
    acr.registry("myacr");
    acr.patch(
        ACR + "myacr" + V,
        "{\"properties\":{\"publicNetworkAccess\":\"Disabled\",\"networkRuleSet\":{"
            + "\"defaultAction\":\"Deny\",\"ipRules\":[{\"value\":\"10.1.2.3\"},"
            + "{\"action\":\"Allow\",\"value\":\"192.168.0.0/16\"}]}}}");
    JsonNode p = acr.settled(ACR + "myacr" + V).json().path("properties");
    assertThat(p.path("publicNetworkAccess").asText()).isEqualTo("Disabled");
    assertThat(p.at("/networkRuleSet/defaultAction").asText()).isEqualTo("Deny");
    assertThat(p.at("/networkRuleSet/ipRules")).hasSize(2);
    assertThat(p.at("/networkRuleSet/ipRules/0/action").asText()).isEqualTo("Allow");

    acr.patch(
        ACR + "myacr" + V,
        "{\"properties\":{\"networkRuleSet\":{\"ipRules\":[{\"value\":\"192.168.0.0/16\"}]}}}");
    p = acr.settled(ACR + "myacr" + V).json().path("properties");
    assertThat(p.at("/networkRuleSet/ipRules")).hasSize(1);
    assertThat(p.at("/networkRuleSet/defaultAction").asText()).isEqualTo("Deny");

    for (String bad : new String[] {"10.0.0.0/33", "300.1.1.1", "::1", "example.com"}) {
      Reply refused =
          acr.patch(
              ACR + "myacr" + V,
              "{\"properties\":{\"networkRuleSet\":{\"ipRules\":[{\"value\":\"" + bad + "\"}]}}}");
      assertThat(refused.status()).as(bad).isEqualTo(400);
      assertThat(refused.json().at("/error/code").asText()).isEqualTo("InvalidParameter");
      assertThat(refused.json().at("/error/target").asText())
          .isEqualTo("properties.networkRuleSet.ipRules[0].value");
    }
  }

  @Test
  void namesAre5To50AlphanumericsAndUniqueAcrossSubscriptions() throws Exception {
    for (String bad : new String[] {"abcd", "my-acr", "a".repeat(51)}) {
      Reply r =
          acr.arm.put(
              ACR + bad + V, "owner", "{\"location\":\"local\",\"sku\":{\"name\":\"Basic\"}}");
      assertThat(r.status()).as(bad).isEqualTo(400);
      assertThat(r.json().at("/error/code").asText()).isEqualTo("InvalidResourceName");
    }
    acr.registry("myacr");
    acr.subscription(SUB2);
    acr.group(SUB2, "other");
    Reply taken =
        acr.arm.put(
            "/subscriptions/"
                + SUB2
                + "/resourceGroups/other/providers/"
                + "Microsoft.ContainerRegistry/registries/MYACR"
                + V,
            "owner",
            "{\"location\":\"local\",\"sku\":{\"name\":\"Basic\"}}");
    assertThat(taken.status()).isEqualTo(409);
    assertThat(taken.json().at("/error/details/0/code").asText()).isEqualTo("AlreadyInUse");
    assertThat(taken.json().at("/error/code").asText()).isEqualTo("AlreadyInUse");
    assertThat(acr.loginServers.assigned()).hasSize(1);
  }

  @Test
  void checkNameAvailabilitySaysAvailableTakenOrInvalid() throws Exception {
    acr.registry("myacr");
    String url =
        "/subscriptions/"
            + SUB
            + "/providers/Microsoft.ContainerRegistry/checkNameAvailability"
            + V;
    String type = "\",\"type\":\"Microsoft.ContainerRegistry/registries\"}";
    Reply free = acr.post(url, "reader", "{\"name\":\"freeacr" + type);
    assertThat(free.status()).isEqualTo(200);
    assertThat(free.json().path("nameAvailable").asBoolean()).isTrue();
    Reply taken = acr.post(url, "owner", "{\"name\":\"MyAcr" + type);
    assertThat(taken.json().path("nameAvailable").asBoolean()).isFalse();
    assertThat(taken.json().path("reason").asText()).isEqualTo("AlreadyExists");
    Reply invalid = acr.post(url, "owner", "{\"name\":\"my-acr" + type);
    assertThat(invalid.json().path("reason").asText()).isEqualTo("Invalid");
    Reply wrongType = acr.post(url, "owner", "{\"name\":\"x\",\"type\":\"Microsoft.Foo/bars\"}");
    assertThat(wrongType.status()).isEqualTo(400);
    Reply unknown =
        acr.post(
            "/subscriptions/" + SUB + "/providers/Microsoft.ContainerRegistry/noSuchAction" + V,
            "owner",
            "{}");
    assertThat(unknown.status()).isEqualTo(400);
  }

  @Test
  void deleteRemovesScopeMapsTokensCredentialsAndReleasesTheLoginServer() throws Exception {
    acr.registry("myacr");
    ResourceId id = ResourceId.parse(ACR + "myacr");
    assertThat(acr.arm.store.get(AcrDocuments.adminCredentials(id))).isPresent();
    Reply deleted = acr.arm.send("DELETE", ACR + "myacr" + V, "owner", null);
    assertThat(deleted.status()).isEqualTo(202);
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> acr.arm.get(ACR + "myacr" + V, "owner").status() == 404);
    assertThat(acr.arm.store.get(AcrDocuments.adminCredentials(id))).isEmpty();
    assertThat(acr.arm.store.get(id.child("scopeMaps", "_repositories_pull"))).isEmpty();
    assertThat(acr.loginServers.assigned()).isEmpty();
    // The name is free again.
    acr.registry("myacr");
  }

  @Test
  void deletingTheGroupReleasesTheLoginServerAndTheName() throws Exception {
    acr.registry("myacr");
    Reply deleted =
        acr.arm.send(
            "DELETE",
            "/subscriptions/" + SUB + "/resourcegroups/rg1?api-version=2021-04-01",
            "owner",
            null);
    assertThat(deleted.status()).isEqualTo(202);
    await().atMost(Duration.ofSeconds(10)).until(() -> acr.loginServers.assigned().isEmpty());
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                acr.arm
                    .store
                    .get(AcrDocuments.adminCredentials(ResourceId.parse(ACR + "myacr")))
                    .isEmpty());
  }

  @Test
  void aReaderMayReadButNotWriteNorListCredentials() throws Exception {
    acr.registry("myacr");
    assertThat(acr.arm.get(ACR + "myacr" + V, "reader").status()).isEqualTo(200);
    Reply asReader =
        acr.arm.send(
            "PATCH", ACR + "myacr" + V, "reader", "{\"properties\":{\"adminUserEnabled\":true}}");
    assertThat(asReader.status()).isEqualTo(403);
    assertThat(asReader.json().at("/error/message").asText())
        .contains("Microsoft.ContainerRegistry/registries/write");
    Reply creds = acr.post(ACR + "myacr/listCredentials" + V, "reader", null);
    assertThat(creds.status()).isEqualTo(403);
    assertThat(creds.json().at("/error/message").asText())
        .contains("Microsoft.ContainerRegistry/registries/listCredentials/action");
  }
}
