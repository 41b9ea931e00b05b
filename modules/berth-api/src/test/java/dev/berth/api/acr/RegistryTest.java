package dev.berth.api.acr;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.api.ResourceId;
import dev.berth.api.acr.AccessDecision.Reason;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The one reading of a registry's ARM document, its defaults, and the verdicts it makes alone. */
class RegistryTest {

  static final ResourceId ID =
      ResourceId.parse(
          "/subscriptions/s1/resourceGroups/rg/providers/Microsoft.ContainerRegistry/registries/myacr");

  static Registry registry(String json) throws Exception {
    return Registry.from(ID, new ObjectMapper().readTree(json));
  }

  @Test
  void absentPropertiesTakeAcrsDefaults() throws Exception {
    Registry r = registry("{}");

    assertThat(r)
        .isEqualTo(
            new Registry(
                ID,
                "myacr",
                "",
                false,
                false,
                new NetworkRules(true, false, List.of()),
                true,
                false));
  }

  @Test
  void readsEveryPropertyThatDecidesAccess() throws Exception {
    Registry r =
        registry(
            """
            {"properties":{"loginServer":"MyAcr.Registry.Example:8443","adminUserEnabled":true,
              "anonymousPullEnabled":true,"publicNetworkAccess":"Disabled",
              "networkRuleSet":{"defaultAction":"Deny","ipRules":[{"action":"Allow","value":"10.0.0.0/8"}]},
              "roleAssignmentMode":"AbacRepositoryPermissions",
              "policies":{"azureADAuthenticationAsArmPolicy":{"status":"disabled"}}},
             "berth":{"storageKey":"myacr-0123"}}
            """);

    assertThat(r)
        .isEqualTo(
            new Registry(
                ID,
                "myacr-0123",
                "myacr.registry.example:8443",
                true,
                true,
                new NetworkRules(false, true, List.of("10.0.0.0/8")),
                false,
                true));
  }

  @Test
  void aLoginServerIsMatchedInAnyCaseAndARegistryWithoutOneIsServedNowhere() throws Exception {
    Registry r = registry("{\"properties\":{\"loginServer\":\"localhost:5001\"}}");

    assertThat(r.servesAt("LOCALHOST:5001")).isTrue();
    assertThat(r.servesAt("localhost:5002")).isFalse();
    assertThat(registry("{}").servesAt("myacr")).isFalse();
    assertThat(registry("{}").servesAt("")).isFalse();
  }

  @Test
  void armAudienceTokensAreRefusedOnlyWhileThePolicyIsDisabled() throws Exception {
    Registry enabled = registry("{}");
    Registry disabled =
        registry(
            "{\"properties\":{\"policies\":{\"azureADAuthenticationAsArmPolicy\":{\"status\":\"disabled\"}}}}");

    assertThat(enabled.exchange(true).isGranted()).isTrue();
    assertThat(disabled.exchange(false).isGranted()).isTrue();
    AccessDecision.Refusal refusal = disabled.exchange(true).answer().orElseThrow();
    assertThat(refusal.reason()).isEqualTo(Reason.ARM_AUDIENCE_REFUSED);
    assertThat(refusal.message())
        .isEqualTo(
            "ARM-audience tokens are not accepted by registry 'myacr': its"
                + " azureADAuthenticationAsArmPolicy is disabled. Request a token for"
                + " https://containerregistry.azure.net, or run: az acr config"
                + " authentication-as-arm update -r myacr --status enabled");
  }

  @Test
  void anonymousPullOpensReadsOnly() throws Exception {
    Registry open = registry("{\"properties\":{\"anonymousPullEnabled\":true}}");

    assertThat(open.anonymousPull().isGranted()).isTrue();
    assertThat(open.anonymousAllows("pull")).isTrue();
    assertThat(open.anonymousAllows("metadata_read")).isTrue();
    assertThat(open.anonymousAllows("push")).isFalse();
    assertThat(registry("{}").anonymousAllows("pull")).isFalse();
    assertThat(registry("{}").anonymousPull().answer().orElseThrow().reason())
        .isEqualTo(Reason.ANONYMOUS_PULL_DISABLED);
  }
}
