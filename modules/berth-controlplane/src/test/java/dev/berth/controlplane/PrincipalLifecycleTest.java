package dev.berth.controlplane;

import static dev.berth.controlplane.support.ArmServer.SUB;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.berth.controlplane.support.ArmServer;
import dev.berth.controlplane.support.ArmServer.Reply;
import dev.berth.controlplane.support.Providers;
import dev.berth.identity.BuiltInRoles;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A principal's role assignments end with it, over real HTTP: deleting a service principal, a
 * user-assigned identity (alone or with its group), a container app, or removing an app's
 * system-assigned identity deletes every role assignment of that principal, wherever it is, and
 * leaves other principals' alone.
 */
class PrincipalLifecycleTest {

  private static final String RG1 = "/subscriptions/" + SUB + "/resourceGroups/rg1";
  private static final String ACR =
      RG1 + "/providers/Microsoft.ContainerRegistry/registries/acrone";
  private static final String ENV = RG1 + "/providers/Microsoft.App/managedEnvironments/env1";
  private static final String APPS = RG1 + "/providers/Microsoft.App/containerApps/";
  private static final String IDS = "/providers/Microsoft.ManagedIdentity/userAssignedIdentities/";
  private static final String RA = "/providers/Microsoft.Authorization/roleAssignments/";
  private static final String RA_V = "?api-version=2022-04-01";
  private static final String APP_V = "?api-version=2025-07-01";
  private static final String MI_V = "?api-version=2023-01-31";

  private static ArmServer arm;

  @BeforeAll
  static void world() throws Exception {
    arm = ArmServer.withTypes(store -> Providers.all(store, Duration.ofSeconds(1)));
    ok(arm.put(RG1 + "?api-version=2021-04-01", "owner", "{\"location\":\"local\"}"));
    ok(arm.put(ENV + APP_V, "owner", "{\"location\":\"local\"}"));
    ok(
        arm.put(
            ACR + "?api-version=2023-07-01",
            "owner",
            "{\"location\":\"local\",\"sku\":{\"name\":\"Basic\"}}"));
  }

  @AfterAll
  static void stop() throws Exception {
    arm.close();
  }

  private static void ok(Reply r) {
    assertThat(r.status()).as(r.raw().body()).isIn(200, 201, 202);
  }

  /** Assigns {@code role} to {@code principalId} at {@code scope} as the Owner; its id. */
  private static String assign(String role, String principalId, String scope) throws Exception {
    String id = scope + RA + UUID.randomUUID();
    Reply r =
        arm.put(
            id + RA_V,
            "owner",
            "{\"properties\":{\"roleDefinitionId\":\"/providers/Microsoft.Authorization/"
                + "roleDefinitions/"
                + role
                + "\",\"principalId\":\""
                + principalId
                + "\",\"principalType\":\"ServicePrincipal\"}}");
    assertThat(r.status()).as(r.raw().body()).isEqualTo(201);
    return id;
  }

  private static boolean exists(String assignment) throws Exception {
    Reply r = arm.get(assignment + RA_V, "owner");
    if (r.status() == 404) {
      assertThat(r.json().at("/error/code").asText()).isEqualTo("RoleAssignmentNotFound");
      return false;
    }
    assertThat(r.status()).isEqualTo(200);
    return true;
  }

  private static String bystander() throws Exception {
    return assign(BuiltInRoles.READER, UUID.randomUUID().toString(), RG1);
  }

  @Test
  void deletingAServicePrincipalDeletesItsRoleAssignments() throws Exception {
    Reply sp =
        arm.send(
            "POST",
            "/providers/Berth.Identity/servicePrincipals?api-version=2025-01-01",
            "owner",
            "{\"displayName\":\"ci\"}");
    String principalId = sp.json().at("/properties/principalId").asText();
    String push = assign(BuiltInRoles.ACR_PUSH, principalId, ACR);
    String read = assign(BuiltInRoles.READER, principalId, "/subscriptions/" + SUB);
    String other = bystander();

    String appId = sp.json().at("/properties/appId").asText();
    Reply deleted =
        arm.send(
            "DELETE",
            "/providers/Berth.Identity/servicePrincipals/" + appId + "?api-version=2025-01-01",
            "owner",
            null);
    assertThat(deleted.status()).isEqualTo(200);
    assertThat(exists(push)).isFalse();
    assertThat(exists(read)).isFalse();
    assertThat(exists(other)).isTrue();
  }

  @Test
  void deletingAUserAssignedIdentityDeletesItsRoleAssignments() throws Exception {
    Reply id = arm.put(RG1 + IDS + "pusher" + MI_V, "owner", "{\"location\":\"local\"}");
    String push =
        assign(BuiltInRoles.ACR_PUSH, id.json().at("/properties/principalId").asText(), ACR);
    String other = bystander();
    assertThat(arm.send("DELETE", RG1 + IDS + "pusher" + MI_V, "owner", null).status())
        .isEqualTo(200);
    assertThat(exists(push)).isFalse();
    assertThat(exists(other)).isTrue();
  }

  @Test
  void deletingAGroupEndsTheIdentitiesInItWhereverTheirRolesAre() throws Exception {
    String doomed = "/subscriptions/" + SUB + "/resourceGroups/doomed";
    ok(arm.put(doomed + "?api-version=2021-04-01", "owner", "{\"location\":\"local\"}"));
    Reply id = arm.put(doomed + IDS + "inside" + MI_V, "owner", "{\"location\":\"local\"}");
    String push =
        assign(BuiltInRoles.ACR_PUSH, id.json().at("/properties/principalId").asText(), ACR);
    ok(arm.send("DELETE", doomed + "?api-version=2021-04-01", "owner", null));
    await().atMost(Duration.ofSeconds(10)).until(() -> !exists(push));
  }

  private static String appWithSystemIdentity(String name) throws Exception {
    ok(
        arm.put(
            APPS + name + APP_V,
            "owner",
            "{\"location\":\"local\",\"identity\":{\"type\":\"SystemAssigned\"},"
                + "\"properties\":{\"environmentId\":\""
                + ENV
                + "\",\"template\":{\"containers\":[{\"name\":\"api\",\"image\":\"x:1\"}]}}}"));
    String principalId =
        arm.get(APPS + name + APP_V, "owner").json().at("/identity/principalId").asText();
    assertThat(principalId).isNotBlank();
    return principalId;
  }

  @Test
  void removingAnAppsSystemIdentityDeletesItsRoleAssignments() throws Exception {
    String principalId = appWithSystemIdentity("sysgone");
    String pull = assign(BuiltInRoles.ACR_PULL, principalId, ACR);
    String other = bystander();
    Reply patch =
        arm.send("PATCH", APPS + "sysgone" + APP_V, "owner", "{\"identity\":{\"type\":\"None\"}}");
    assertThat(patch.status()).as(patch.raw().body()).isEqualTo(202);
    assertThat(exists(pull)).isFalse();
    assertThat(exists(other)).isTrue();
  }

  @Test
  void deletingAnAppEndsItsSystemIdentity() throws Exception {
    String principalId = appWithSystemIdentity("appgone");
    String pull = assign(BuiltInRoles.ACR_PULL, principalId, ACR);
    assertThat(arm.send("DELETE", APPS + "appgone" + APP_V, "owner", null).status()).isEqualTo(202);
    await().atMost(Duration.ofSeconds(10)).until(() -> !exists(pull));
  }
}
