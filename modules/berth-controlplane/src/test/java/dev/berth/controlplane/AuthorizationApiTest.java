package dev.berth.controlplane;

import static dev.berth.controlplane.support.ArmServer.SUB;
import static dev.berth.controlplane.support.Fakes.ACR_PULL;
import static dev.berth.controlplane.support.Fakes.READER_ROLE;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.controlplane.support.ArmServer;
import dev.berth.controlplane.support.ArmServer.Reply;
import dev.berth.identity.BuiltInRoles;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Microsoft.Authorization over real HTTP: role definitions and role assignments at any scope. */
class AuthorizationApiTest {

  private static final String SUBSCRIPTION = "/subscriptions/" + SUB;
  private static final String RG = SUBSCRIPTION + "/resourceGroups/rg1";
  private static final String REGISTRY =
      RG + "/providers/Microsoft.ContainerRegistry/registries/myacr";
  private static final String RA = "/providers/Microsoft.Authorization/roleAssignments";
  private static final String V = "?api-version=2022-04-01";
  private static final String ALICE = "55555555-5555-5555-5555-555555555555";
  private static final String BOB = "66666666-6666-6666-6666-666666666666";
  private ArmServer arm;

  @BeforeEach
  void start() throws Exception {
    arm = new ArmServer(List.of(TestTypes.registries()));
    arm.put(RG + "?api-version=2021-04-01", "owner", "{\"location\":\"local\"}");
    arm.put(REGISTRY + "?api-version=2023-07-01", "owner", "{\"location\":\"local\"}");
  }

  @AfterEach
  void stop() throws Exception {
    arm.close();
  }

  private static String grant(String role, String principal) {
    return "{\"properties\":{\"roleDefinitionId\":\""
        + SUBSCRIPTION
        + "/providers/Microsoft.Authorization/roleDefinitions/"
        + role
        + "\",\"principalId\":\""
        + principal
        + "\",\"principalType\":\"ServicePrincipal\"}}";
  }

  private static String guid(int n) {
    return String.format("00000000-0000-4000-8000-%012d", n);
  }

  private List<String> names(String url) throws Exception {
    List<String> out = new ArrayList<>();
    for (JsonNode a : arm.get(url, "owner").json().path("value")) {
      if (!ArmServer.BASELINE_ASSIGNMENTS.contains(a.path("name").asText())) {
        out.add(a.path("name").asText());
      }
    }
    return out;
  }

  @Test
  void roleDefinitionsAreFoundByNameCaseInsensitivelyInTheScopesForm() throws Exception {
    Reply byName =
        arm.get(
            REGISTRY
                + "/providers/Microsoft.Authorization/roleDefinitions"
                + "?$filter=roleName%20eq%20'acrpull'&api-version=2018-01-01-preview",
            "reader");
    assertThat(byName.status()).isEqualTo(200);
    assertThat(byName.json().path("value")).hasSize(1);
    assertThat(byName.json().at("/value/0/id").asText())
        .isEqualTo(SUBSCRIPTION + "/providers/Microsoft.Authorization/roleDefinitions/" + ACR_PULL);
    assertThat(byName.json().at("/value/0/properties/roleName").asText()).isEqualTo("AcrPull");
    assertThat(byName.json().at("/value/0/properties/type").asText()).isEqualTo("BuiltInRole");
    assertThat(byName.json().at("/value/0/properties/permissions/0/actions/0").asText())
        .isEqualTo("Microsoft.ContainerRegistry/registries/pull/read");
    Reply global =
        arm.get("/providers/Microsoft.Authorization/roleDefinitions/" + ACR_PULL + V, "owner");
    assertThat(global.json().path("id").asText())
        .isEqualTo("/providers/Microsoft.Authorization/roleDefinitions/" + ACR_PULL);
    assertThat(
            arm.get(
                    SUBSCRIPTION + "/providers/Microsoft.Authorization/roleDefinitions" + V,
                    "owner")
                .json()
                .path("value"))
        .hasSize(BuiltInRoles.catalog().all().size());
    assertThat(
            arm.get(
                    SUBSCRIPTION
                        + "/providers/Microsoft.Authorization/roleDefinitions/"
                        + guid(9)
                        + V,
                    "owner")
                .status())
        .isEqualTo(404);
  }

  @Test
  void assignmentsAreCreatedReadAndDeletedAtAnyScope() throws Exception {
    Reply created =
        arm.put(
            REGISTRY + RA + "/" + guid(1) + "?api-version=2020-04-01-preview",
            "owner",
            grant(ACR_PULL, ALICE));
    assertThat(created.status()).isEqualTo(201);
    assertThat(created.json().path("id").asText()).isEqualTo(REGISTRY + RA + "/" + guid(1));
    assertThat(created.json().path("type").asText())
        .isEqualTo("Microsoft.Authorization/roleAssignments");
    assertThat(created.json().at("/properties/scope").asText()).isEqualTo(REGISTRY);
    assertThat(created.json().at("/properties/principalType").asText())
        .isEqualTo("ServicePrincipal");
    assertThat(created.json().at("/properties/createdOn").asText()).isNotBlank();
    assertThat(arm.put(REGISTRY + RA + "/" + guid(1) + V, "owner", grant(ACR_PULL, ALICE)).status())
        .isEqualTo(200);

    String condition =
        "@Resource[Microsoft.ContainerRegistry/registries/repositories:name] StringStartsWithIgnoreCase 'team-a/'";
    String abac =
        "{\"properties\":{\"roleDefinitionId\":\"/providers/Microsoft.Authorization/roleDefinitions/"
            + ACR_PULL
            + "\",\"principalId\":\""
            + BOB
            + "\",\"condition\":\""
            + condition
            + "\"}}";
    Reply conditioned =
        arm.put("/" + REGISTRY.substring(1) + RA + "/" + guid(2) + V, "owner", abac);
    assertThat(conditioned.json().at("/properties/condition").asText()).isEqualTo(condition);
    assertThat(conditioned.json().at("/properties/conditionVersion").asText()).isEqualTo("2.0");
    assertThat(conditioned.json().at("/properties/roleDefinitionId").asText())
        .isEqualTo(SUBSCRIPTION + "/providers/Microsoft.Authorization/roleDefinitions/" + ACR_PULL);
    assertThat(conditioned.json().at("/properties/principalType").asText()).isEqualTo("User");

    Reply read = arm.get(REGISTRY + RA + "/" + guid(1) + V, "reader");
    assertThat(read.json().at("/properties/principalId").asText()).isEqualTo(ALICE);
    Reply deleted = arm.send("DELETE", REGISTRY + RA + "/" + guid(1) + V, "owner", null);
    assertThat(deleted.status()).isEqualTo(200);
    assertThat(deleted.json().path("name").asText()).isEqualTo(guid(1));
    assertThat(arm.send("DELETE", REGISTRY + RA + "/" + guid(1) + V, "owner", null).status())
        .isEqualTo(204);
    Reply gone = arm.get(REGISTRY + RA + "/" + guid(1) + V, "owner");
    assertThat(gone.json().at("/error/code").asText()).isEqualTo("RoleAssignmentNotFound");
  }

  @Test
  void invalidAssignmentsAreRefusedWithArmsCodes() throws Exception {
    Reply notGuid = arm.put(RG + RA + "/not-a-guid" + V, "owner", grant(ACR_PULL, ALICE));
    assertThat(notGuid.json().at("/error/code").asText()).isEqualTo("InvalidRoleAssignmentId");
    Reply unknownRole = arm.put(RG + RA + "/" + guid(3) + V, "owner", grant(guid(99), ALICE));
    assertThat(unknownRole.status()).isEqualTo(400);
    assertThat(unknownRole.json().at("/error/code").asText())
        .isEqualTo("RoleDefinitionDoesNotExist");
    Reply noPrincipal = arm.put(RG + RA + "/" + guid(3) + V, "owner", grant(ACR_PULL, ""));
    assertThat(noPrincipal.json().at("/error/code").asText()).isEqualTo("InvalidPrincipalId");
    assertThat(arm.put(RG + RA + "/" + guid(3) + V, "owner", grant(ACR_PULL, ALICE)).status())
        .isEqualTo(201);
    Reply duplicate = arm.put(RG + RA + "/" + guid(4) + V, "owner", grant(ACR_PULL, ALICE));
    assertThat(duplicate.status()).isEqualTo(409);
    assertThat(duplicate.json().at("/error/code").asText()).isEqualTo("RoleAssignmentExists");
    Reply contributor = arm.put(RG + RA + "/" + guid(5) + V, "contributor", grant(ACR_PULL, BOB));
    assertThat(contributor.status()).isEqualTo(403);
    assertThat(contributor.json().at("/error/message").asText())
        .contains("'Microsoft.Authorization/roleAssignments/write' over scope '" + RG + "'");
    assertThat(
            arm.put(
                    RG + RA + "/" + guid(6) + "?api-version=2019-01-01",
                    "owner",
                    grant(ACR_PULL, BOB))
                .status())
        .isEqualTo(400);
  }

  @Test
  void listsFollowArmsScopeRulesAndFilters() throws Exception {
    arm.put(RA + "/" + guid(10) + V, "owner", grant(READER_ROLE, ALICE));
    arm.put(SUBSCRIPTION + RA + "/" + guid(11) + V, "owner", grant(READER_ROLE, BOB));
    arm.put(RG + RA + "/" + guid(12) + V, "owner", grant(ACR_PULL, ALICE));
    arm.put(REGISTRY + RA + "/" + guid(13) + V, "owner", grant(ACR_PULL, BOB));

    assertThat(names(RG + RA + V))
        .containsExactlyInAnyOrder(guid(10), guid(11), guid(12), guid(13));
    assertThat(names(RG + RA + "?$filter=atScope()&api-version=2022-04-01"))
        .containsExactlyInAnyOrder(guid(10), guid(11), guid(12));
    assertThat(
            names(
                SUBSCRIPTION
                    + RA
                    + "?$filter=principalId%20eq%20'"
                    + ALICE
                    + "'&api-version=2022-04-01"))
        .containsExactlyInAnyOrder(guid(10), guid(12));
    assertThat(
            names(SUBSCRIPTION + RA + "?$filter=assignedTo('" + BOB + "')&api-version=2022-04-01"))
        .containsExactlyInAnyOrder(guid(11), guid(13));
    assertThat(
            names(
                REGISTRY
                    + RA
                    + "?$filter=atScope()%20and%20principalId%20eq%20'"
                    + BOB
                    + "'&api-version=2022-04-01"))
        .containsExactlyInAnyOrder(guid(11), guid(13));
    assertThat(
            arm.get(RG + RA + "?$filter=nonsense&api-version=2022-04-01", "owner")
                .json()
                .at("/error/code")
                .asText())
        .isEqualTo("InvalidFilter");

    List<String> paged = new ArrayList<>();
    String url = RG + RA + V + "&$top=1";
    while (url != null) {
      Reply page = arm.get(url, "owner");
      page.json().path("value").forEach(a -> paged.add(a.path("name").asText()));
      paged.removeAll(ArmServer.BASELINE_ASSIGNMENTS);
      url = page.json().has("nextLink") ? page.json().path("nextLink").asText() : null;
    }
    assertThat(paged).containsExactlyInAnyOrder(guid(10), guid(11), guid(12), guid(13));
  }

  @Test
  void permissionsListTheCallersOwnRolesAtTheScopeAndAbove() throws Exception {
    String permissions = "/providers/Microsoft.Authorization/permissions?api-version=2022-04-01";
    Reply owner = arm.get(REGISTRY + permissions, "owner");
    assertThat(owner.status()).as(owner.raw().body()).isEqualTo(200);
    assertThat(owner.json().at("/value/0/actions/0").asText()).isEqualTo("*");

    Reply reader = arm.get(REGISTRY + permissions, "reader");
    assertThat(reader.json().path("value")).hasSize(1);
    assertThat(reader.json().at("/value/0/actions/0").asText()).isEqualTo("*/read");

    // A role at the registry shows there, and not at the group above it.
    arm.principal("puller", ACR_PULL, dev.berth.api.ResourceId.parse(REGISTRY));
    assertThat(arm.get(REGISTRY + permissions, "puller").json().at("/value/0/actions/0").asText())
        .isEqualTo("Microsoft.ContainerRegistry/registries/pull/read");
    assertThat(arm.get(RG + permissions, "puller").json().path("value")).isEmpty();
    assertThat(arm.get(RG + permissions, "nobody").json().path("value")).isEmpty();
  }
}
