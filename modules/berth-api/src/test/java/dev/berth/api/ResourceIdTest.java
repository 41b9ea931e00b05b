package dev.berth.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ResourceIdTest {

  private static final String APP =
      "/subscriptions/s1/resourceGroups/RG1/providers/Microsoft.App/containerApps/api";

  @ParameterizedTest
  @CsvSource({
    "/, Microsoft.Resources/tenants, ''",
    "/subscriptions/s1, Microsoft.Resources/subscriptions, s1",
    "/subscriptions/s1/resourcegroups/rg1, Microsoft.Resources/resourceGroups, rg1",
    APP + ", Microsoft.App/containerApps, api",
    APP + "/revisions/api--x, Microsoft.App/containerApps/revisions, api--x",
    APP
        + "/providers/Microsoft.Authorization/roleAssignments/g1, Microsoft.Authorization/roleAssignments, g1",
    "/providers/Microsoft.Authorization/roleDefinitions/r1, Microsoft.Authorization/roleDefinitions, r1",
    "/subscriptions/s1/providers/Microsoft.App/locations/eastus/operationStatuses/o1,"
        + " Microsoft.App/locations/operationStatuses, o1",
  })
  void typeAndNameFollowArmGrammar(String id, String type, String name) {
    ResourceId parsed = ResourceId.parse(id);
    assertThat(parsed.type()).isEqualTo(type);
    assertThat(parsed.name()).isEqualTo(name);
  }

  @Test
  void comparesCaseInsensitivelyButKeepsCallersCasing() {
    ResourceId upper = ResourceId.parse(APP);
    ResourceId lower = ResourceId.parse(APP.toLowerCase(Locale.ROOT));
    assertThat(upper).isEqualTo(lower).hasSameHashCodeAs(lower);
    assertThat(upper.value()).isEqualTo(APP);
    assertThat(upper.key()).isEqualTo(APP.toLowerCase(Locale.ROOT));
  }

  @Test
  void parentsWalkUpThroughGroupSubscriptionAndRoot() {
    ResourceId assignment =
        ResourceId.parse(APP + "/providers/Microsoft.Authorization/roleAssignments/g1");
    assertThat(assignment.selfAndAncestors())
        .extracting(ResourceId::value)
        .containsExactly(
            APP + "/providers/Microsoft.Authorization/roleAssignments/g1",
            APP,
            "/subscriptions/s1/resourceGroups/RG1",
            "/subscriptions/s1",
            "/");
  }

  @Test
  void aResourceNamedProvidersIsNotMistakenForTheKeyword() {
    ResourceId odd =
        ResourceId.parse(
            "/subscriptions/s1/resourceGroups/rg/providers/Microsoft.App/containerApps/providers");
    assertThat(odd.type()).isEqualTo("Microsoft.App/containerApps");
    assertThat(odd.name()).isEqualTo("providers");
    assertThat(odd.parent()).contains(ResourceId.resourceGroup("s1", "rg"));
  }

  @Test
  void containsRespectsSegmentBoundaries() {
    ResourceId rg1 = ResourceId.resourceGroup("s1", "rg1");
    assertThat(rg1.contains(ResourceId.parse(APP.replace("RG1", "rg1")))).isTrue();
    assertThat(rg1.contains(ResourceId.resourceGroup("s1", "rg10"))).isFalse();
    assertThat(ResourceId.root().contains(rg1)).isTrue();
  }

  @Test
  void scopesExposeSubscriptionAndGroup() {
    ResourceId app = ResourceId.parse(APP);
    assertThat(app.subscriptionId()).contains("s1");
    assertThat(app.resourceGroupName()).contains("RG1");
    assertThat(app.resourceGroup()).contains(ResourceId.resourceGroup("s1", "rg1"));
    assertThat(ResourceId.root().subscriptionId()).isEmpty();
  }

  @Test
  void childAndProviderBuildIds() {
    ResourceId rg = ResourceId.resourceGroup("s1", "rg");
    assertThat(
            rg.provider("Microsoft.App", "containerApps", "a").child("revisions", "a--1").value())
        .isEqualTo(
            "/subscriptions/s1/resourceGroups/rg/providers/Microsoft.App/containerApps/a/revisions/a--1");
    assertThat(ResourceId.root().provider("Berth.Identity", "servicePrincipals", "x").value())
        .isEqualTo("/providers/Berth.Identity/servicePrincipals/x");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "/subscriptions",
        "/subscriptions/s1/resourceGroups",
        "/subscriptions/s1/foo/bar",
        "/subscriptions/s1/providers/Microsoft.App/containerApps",
        "/subscriptions//resourceGroups/x",
      })
  void refusesWhatIsNotAResourceId(String text) {
    assertThatThrownBy(() -> ResourceId.parse(text)).isInstanceOf(IllegalArgumentException.class);
    assertThat(ResourceId.tryParse(text)).isEmpty();
  }

  /** Found by ResourceIdFuzzTest (seed -1531572307455056219): such ids did not read back. */
  @Test
  void aSegmentWithWhiteSpaceAtItsEndsIsRefused() {
    assertThat(ResourceId.tryParse("/subscriptions/s/resourceGroups/ /")).isEmpty();
    assertThat(ResourceId.tryParse("/subscriptions/s/resourceGroups/rg ")).isPresent();
    assertThat(ResourceId.tryParse("/subscriptions/s/resourceGroups/rg /providers/A/b/c"))
        .isEmpty();
    assertThat(ResourceId.tryParse("/subscriptions/s/resourceGroups/my rg")).isPresent();
  }
}
