package dev.berth.identity;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
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
    "a/*/*/b, a/b, true",
    "a/*/*/b, a/x/y/z/b, true",
    "a/*/*/b, a/xb, false",
    "*, '', true",
    "'', '', true",
    "a, '', false",
  })
  void matchesCaseInsensitivelyWithWildcardsAnywhere(
      String pattern, String action, boolean expected) {
    assertThat(ActionPattern.matches(pattern, action)).isEqualTo(expected);
  }

  /**
   * Patterns come from role definitions and ABAC conditions, up to 8 KB: one full of stars must not
   * take exponential time (trying every way to drop each whole-segment star would).
   */
  @Test
  @Timeout(5)
  void aPatternFullOfStarsIsMatchedInLinearTime() {
    String stars = "a/" + "*/".repeat(2700) + "x";
    String action = "a/" + "b/".repeat(60) + "y";
    assertThat(ActionPattern.matches(stars, action)).isFalse();
    assertThat(ActionPattern.matches("*a".repeat(4000), "a".repeat(200) + "b")).isFalse();
  }
}
