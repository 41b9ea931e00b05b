package dev.berth.controlplane;

import static dev.berth.controlplane.support.ArmServer.SUB;
import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.controlplane.support.ArmServer;
import dev.berth.controlplane.support.ArmServer.Reply;
import dev.berth.controlplane.support.Providers;
import dev.berth.identity.BuiltInRoles;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Fields that name resources Berth does not have or cannot honour (subnets, service binds, a Key
 * Vault secret's foreign identity, a delegated identity) are refused with 400 in the API's words
 * and never stored, where they would otherwise link something no check covers.
 */
class RefusedLinksTest {

  private static final String RG1 = "/subscriptions/" + SUB + "/resourceGroups/rg1";
  private static final String RG2 = "/subscriptions/" + SUB + "/resourceGroups/rg2";
  private static final String APP_V = "?api-version=2025-07-01";
  private static final String ACR_V = "?api-version=2023-07-01";
  private static final String ID1 =
      RG1 + "/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id1";
  private static final String ENV2 = RG2 + "/providers/Microsoft.App/managedEnvironments/env2";

  private static ArmServer arm;

  @BeforeAll
  static void world() throws Exception {
    arm = ArmServer.withTypes(store -> Providers.all(store, Duration.ofSeconds(1)));
    for (String rg : new String[] {RG1, RG2}) {
      arm.put(rg + "?api-version=2021-04-01", "owner", "{\"location\":\"local\"}");
    }
    arm.put(ENV2 + APP_V, "owner", "{\"location\":\"local\"}");
  }

  @AfterAll
  static void stop() throws Exception {
    arm.close();
  }

  private static String app(String name) {
    return RG2 + "/providers/Microsoft.App/containerApps/" + name;
  }

  /** One refused write: by the Owner, who may link anything that can be linked. */
  record Refusal(
      String what,
      String token,
      String method,
      String url,
      String body,
      int status,
      String code,
      String field) {
    @Override
    public String toString() {
      return what;
    }
  }

  static Stream<Refusal> unsupportedLinks() {
    return Stream.of(
        new Refusal(
            "environment subnet",
            "owner",
            "PUT",
            RG2 + "/providers/Microsoft.App/managedEnvironments/envsubnet",
            "{\"location\":\"local\",\"properties\":{\"vnetConfiguration\":"
                + "{\"infrastructureSubnetId\":\""
                + RG1
                + "/providers/Microsoft.Network/virtualNetworks/v/subnets/s\"}}}",
            400,
            "InvalidParameter",
            "properties.vnetConfiguration.infrastructureSubnetId"),
        new Refusal(
            "registry virtual network rules",
            "owner",
            "PUT",
            RG2 + "/providers/Microsoft.ContainerRegistry/registries/regvnet",
            "{\"location\":\"local\",\"sku\":{\"name\":\"Premium\"},\"properties\":{"
                + "\"networkRuleSet\":{\"defaultAction\":\"Deny\",\"virtualNetworkRules\":"
                + "[{\"id\":\""
                + RG1
                + "/providers/Microsoft.Network/virtualNetworks/v/subnets/s\"}]}}}",
            400,
            "InvalidParameter",
            "properties.networkRuleSet.virtualNetworkRules"),
        new Refusal(
            "app service binds",
            "owner",
            "PUT",
            app("binds"),
            "{\"location\":\"local\",\"properties\":{\"environmentId\":\""
                + ENV2
                + "\",\"template\":{\"containers\":[{\"name\":\"api\",\"image\":\"x:1\"}],"
                + "\"serviceBinds\":[{\"serviceId\":\""
                + app("linked")
                + "\"}]}}}",
            400,
            "InvalidParameterValueInContainerTemplate",
            "template.serviceBinds"),
        new Refusal(
            "app secret read with an identity the app does not have",
            "owner",
            "PUT",
            app("kvsecret"),
            "{\"location\":\"local\",\"properties\":{\"environmentId\":\""
                + ENV2
                + "\",\"configuration\":{\"secrets\":[{\"name\":\"s\",\"keyVaultUrl\":"
                + "\"https://v.vault.azure.net/secrets/s\",\"identity\":\""
                + ID1
                + "\"}]},\"template\":{\"containers\":[{\"name\":\"api\",\"image\":\"x:1\"}]}}}",
            400,
            "InvalidParameterValueInContainerTemplate",
            "configuration.secrets.s.identity"),
        new Refusal(
            "role assignment through a delegated identity",
            "owner",
            "PUT",
            RG2
                + "/providers/Microsoft.Authorization/roleAssignments/"
                + "00000000-0000-4000-8000-000000000001",
            "{\"properties\":{\"roleDefinitionId\":\"/providers/Microsoft.Authorization/"
                + "roleDefinitions/"
                + BuiltInRoles.READER
                + "\",\"principalId\":\"55555555-5555-5555-5555-555555555555\","
                + "\"delegatedManagedIdentityResourceId\":\""
                + ID1
                + "\"}}",
            400,
            "InvalidParameter",
            "properties.delegatedManagedIdentityResourceId"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("unsupportedLinks")
  void fieldsNamingWhatBerthCannotHonourAreRefused(Refusal c) throws Exception {
    String v =
        c.url().contains("Microsoft.ContainerRegistry")
            ? ACR_V
            : c.url().contains("roleAssignments") ? "?api-version=2022-04-01" : APP_V;
    Reply r = arm.send(c.method(), c.url() + v, c.token(), c.body());
    assertThat(r.status()).as(r.raw().body()).isEqualTo(c.status());
    assertThat(r.json().at("/error/code").asText()).isEqualTo(c.code());
    assertThat(r.json().at("/error/target").asText()).isEqualTo(c.field());
    assertThat(arm.get(c.url() + v, "owner").status()).isEqualTo(404);
  }
}
