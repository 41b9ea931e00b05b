package dev.berth.identity;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.api.RoleDefinition;
import org.junit.jupiter.api.Test;

class BuiltInRolesTest {

  final BuiltInRoles roles = BuiltInRoles.catalog();

  @Test
  void rolesAreFoundByNameCaseInsensitivelyAsAzsFilterNeeds() {
    assertThat(roles.byName("acrpull").map(RoleDefinition::id)).contains(BuiltInRoles.ACR_PULL);
    assertThat(roles.byName("user access administrator").map(RoleDefinition::id))
        .contains(BuiltInRoles.USER_ACCESS_ADMINISTRATOR);
    assertThat(roles.byName("container registry repository reader").map(RoleDefinition::id))
        .contains(BuiltInRoles.REPOSITORY_READER);
    assertThat(roles.byName("Nobody")).isEmpty();
  }

  @Test
  void rolesAreFoundByGuidInAnyCase() {
    assertThat(roles.byId("8E3AF657-A8FF-443C-A75C-2FE8C4BCB635").map(RoleDefinition::roleName))
        .contains("Owner");
    assertThat(roles.byId("00000000-0000-0000-0000-000000000000")).isEmpty();
  }

  @Test
  void catalogHoldsThirteenDistinctBuiltInRoles() {
    assertThat(roles.all()).hasSize(13);
    assertThat(roles.all()).extracting(RoleDefinition::id).doesNotHaveDuplicates();
    assertThat(roles.all()).extracting(RoleDefinition::roleType).containsOnly("BuiltInRole");
    assertThat(roles.all())
        .allSatisfy(r -> assertThat(r.id()).matches("[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}"));
  }

  @Test
  void linkingAnIdentityIsGrantedByOwnerContributorAndManagedIdentityOperatorOnly() {
    String assign = "Microsoft.ManagedIdentity/userAssignedIdentities/assign/action";
    String join = "Microsoft.App/managedEnvironments/join/action";
    assertThat(grants(BuiltInRoles.OWNER, assign)).isTrue();
    assertThat(grants(BuiltInRoles.CONTRIBUTOR, assign)).isTrue();
    assertThat(grants(BuiltInRoles.MANAGED_IDENTITY_OPERATOR, assign)).isTrue();
    assertThat(grants(BuiltInRoles.READER, assign)).isFalse();
    assertThat(grants(BuiltInRoles.USER_ACCESS_ADMINISTRATOR, assign)).isFalse();
    assertThat(grants(BuiltInRoles.CONTRIBUTOR, join)).isTrue();
    assertThat(grants(BuiltInRoles.READER, join)).isFalse();
    assertThat(grants(BuiltInRoles.MANAGED_IDENTITY_OPERATOR, join)).isFalse();
    assertThat(grants(BuiltInRoles.READER, "Microsoft.App/containerApps/getAuthToken/action"))
        .isFalse();
    assertThat(grants(BuiltInRoles.CONTRIBUTOR, "Microsoft.App/containerApps/getAuthToken/action"))
        .isTrue();
  }

  @Test
  void readingMetricsIsGrantedByTheReadersAndAboveOnly() {
    String metrics = "Microsoft.Insights/metrics/read";
    assertThat(grants(BuiltInRoles.MONITORING_READER, metrics)).isTrue();
    assertThat(grants(BuiltInRoles.READER, metrics)).isTrue();
    assertThat(grants(BuiltInRoles.CONTRIBUTOR, metrics)).isTrue();
    assertThat(grants(BuiltInRoles.OWNER, metrics)).isTrue();
    assertThat(grants(BuiltInRoles.MANAGED_IDENTITY_OPERATOR, metrics)).isFalse();
    assertThat(grants(BuiltInRoles.ACR_PULL, metrics)).isFalse();
    assertThat(grants(BuiltInRoles.MONITORING_READER, "Microsoft.App/containerApps/write"))
        .isFalse();
    assertThat(roles.byName("monitoring reader").map(RoleDefinition::id))
        .contains(BuiltInRoles.MONITORING_READER);
  }

  private boolean grants(String roleGuid, String action) {
    return roles.byId(roleGuid).orElseThrow().permissions().stream()
        .anyMatch(p -> ActionPattern.permits(p.actions(), p.notActions(), action));
  }

  @Test
  void repositoryRolesGrantDataActionsOnly() {
    RoleDefinition writer = roles.byId(BuiltInRoles.REPOSITORY_WRITER).orElseThrow();
    assertThat(writer.permissions().get(0).actions()).isEmpty();
    assertThat(writer.permissions().get(0).dataActions())
        .contains("Microsoft.ContainerRegistry/registries/repositories/content/write")
        .doesNotContain("Microsoft.ContainerRegistry/registries/catalog/read");
  }
}
