package dev.berth.identity;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ActionPatternTest {

  @ParameterizedTest(name = "{0} matches {1}: {2}")
  @CsvSource({
    "*, Microsoft.App/containerApps/write, true",
    "*/read, Microsoft.App/containerApps/read, true",
    "*/read, Microsoft.App/containerApps/write, false",
    "*/read, Microsoft.App/containerApps/read/extra, false",
    "Microsoft.Authorization/*, Microsoft.Authorization/roleAssignments/write, true",
    "Microsoft.Authorization/*, Microsoft.AuthorizationX/roleAssignments/write, false",
    "Microsoft.Authorization/*/Write, microsoft.authorization/roleassignments/write, true",
    "Microsoft.Authorization/*/Write, Microsoft.Authorization/roleAssignments/read, false",
    "Microsoft.Authorization/*/Write, Microsoft.Authorization/a/b/write, true",
    "Microsoft.Authorization/*/Delete, Microsoft.Authorization/roleAssignments/delete, true",
    "Microsoft.ContainerRegistry/registries/pull/read, MICROSOFT.CONTAINERREGISTRY/REGISTRIES/PULL/READ, true",
    "Microsoft.ContainerRegistry/registries/pull/read, Microsoft.ContainerRegistry/registries/push/write, false",
    // A whole-segment star may stand for no segment: Managed Identity Operator's assign action.
    "Microsoft.App/*/read, Microsoft.App/read, true",
    "Microsoft.ManagedIdentity/userAssignedIdentities/*/assign/action, Microsoft.ManagedIdentity/userAssignedIdentities/assign/action, true",
    "Microsoft.ManagedIdentity/userAssignedIdentities/*/assign/action, Microsoft.ManagedIdentity/userAssignedIdentities/x/assign/action, true",
    "Microsoft.ManagedIdentity/userAssignedIdentities/*/assign/action, Microsoft.ManagedIdentity/userAssignedIdentities/write, false",
    "Microsoft.ManagedIdentity/userAssignedIdentities/*/read, Microsoft.ManagedIdentity/userAssignedIdentitiesread, false",
    "Microsoft.App/*/read, Microsoft.Appread, false",
    "a*b*c, aXXbYYc, true",
    "a*b*c, aXXcYYb, false",
  })
  void matchesCaseInsensitivelyWithWildcardsAnywhere(
      String pattern, String action, boolean expected) {
    assertThat(ActionPattern.matches(pattern, action)).isEqualTo(expected);
  }
}
