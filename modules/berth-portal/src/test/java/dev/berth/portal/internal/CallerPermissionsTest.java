package dev.berth.portal.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;

class CallerPermissionsTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  private static JsonNode role(String actions, String notActions) throws Exception {
    return JSON.readTree(
        "{\"properties\":{\"permissions\":[{\"actions\":"
            + actions
            + ",\"notActions\":"
            + notActions
            + "}]}}");
  }

  @Test
  void anOwnerMayEverything() throws Exception {
    CallerPermissions owner = CallerPermissions.of(List.of(role("[\"*\"]", "[]")));

    assertThat(owner.may("Microsoft.ContainerRegistry/registries/listCredentials/action")).isTrue();
    assertThat(owner.may("Microsoft.Authorization/roleAssignments/write")).isTrue();
  }

  @Test
  void aContributorMayChangeTheRegistryButNotItsRoleAssignments() throws Exception {
    CallerPermissions contributor =
        CallerPermissions.of(
            List.of(
                role(
                    "[\"*\"]",
                    "[\"Microsoft.Authorization/*/Delete\",\"Microsoft.Authorization/*/Write\"]")));

    assertThat(contributor.may("Microsoft.ContainerRegistry/registries/write")).isTrue();
    assertThat(contributor.may("Microsoft.Authorization/roleAssignments/write")).isFalse();
    assertThat(contributor.may("Microsoft.Authorization/roleAssignments/delete")).isFalse();
  }

  @Test
  void aReaderMayReadOnly() throws Exception {
    CallerPermissions reader = CallerPermissions.of(List.of(role("[\"*/read\"]", "[]")));

    assertThat(reader.may("Microsoft.ContainerRegistry/registries/read")).isTrue();
    assertThat(reader.may("Microsoft.ContainerRegistry/registries/write")).isFalse();
    assertThat(reader.may("Microsoft.ContainerRegistry/registries/listCredentials/action"))
        .isFalse();
  }

  @Test
  void rolesAddUpAndNoRoleMayNothing() throws Exception {
    CallerPermissions both =
        CallerPermissions.of(
            List.of(
                role("[\"*/read\"]", "[]"),
                role("[\"Microsoft.Authorization/roleAssignments/*\"]", "[]")));

    assertThat(both.may("Microsoft.Authorization/roleAssignments/write")).isTrue();
    assertThat(both.may("Microsoft.ContainerRegistry/registries/write")).isFalse();
    assertThat(CallerPermissions.none().may("Microsoft.ContainerRegistry/registries/read"))
        .isFalse();
  }

  @Test
  void aPatternMatchesNothingButWhatItsStarsAllow() {
    assertThat(
            CallerPermissions.glob("Microsoft.App/*/read")
                .matcher("microsoft.app/x/y/READ")
                .matches())
        .isTrue();
    assertThat(CallerPermissions.glob("a.b/c").matcher("aXb/c").matches()).isFalse();
  }
}
