package dev.berth.registry;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.api.ResourceId;
import dev.berth.api.acr.AcrDocuments;
import dev.berth.store.StoredResource;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One registry as the data plane sees it: its id, login server and the properties that decide who
 * may do what, read from the ARM document the control plane stored ({@code
 * Microsoft.ContainerRegistry/registries}, reference acr-auth.md §3). Immutable.
 *
 * @param storageKey where its repositories are stored: made once per registry instance, so a
 *     registry created later under the same name does not see them ({@link
 *     AcrDocuments#storageKey})
 * @param loginServer such as {@code localhost:5001} or {@code myacr.registry.example}, lower-case
 * @param ipRules CIDR ranges of {@code networkRuleSet.ipRules[].value} (a bare address means /32)
 */
public record Registry(
    ResourceId id,
    String name,
    String storageKey,
    String loginServer,
    boolean adminUserEnabled,
    boolean anonymousPullEnabled,
    boolean publicNetworkAccess,
    boolean denyByDefault,
    List<String> ipRules,
    boolean armAudienceAccepted,
    boolean abacMode) {

  public Registry {
    java.util.Objects.requireNonNull(storageKey, "storageKey");
    loginServer = loginServer.toLowerCase(Locale.ROOT);
    ipRules = List.copyOf(ipRules);
  }

  /**
   * Reads the properties from the registry's ARM document, with Azure's defaults for absent ones.
   */
  public static Registry from(StoredResource document) {
    JsonNode p = document.body().path("properties");
    List<String> rules = new ArrayList<>();
    for (JsonNode rule : p.path("networkRuleSet").path("ipRules")) {
      String value = rule.path("value").asText(rule.path("ipAddressOrRange").asText(""));
      if (!value.isBlank()) {
        rules.add(value.strip());
      }
    }
    String key =
        document.body().path(AcrDocuments.HIDDEN).path(AcrDocuments.STORAGE_KEY).asText("");
    return new Registry(
        document.id(),
        document.id().name(),
        AcrDocuments.storageKey(key, document.id().name()),
        p.path("loginServer").asText(document.id().name()),
        p.path("adminUserEnabled").asBoolean(false),
        p.path("anonymousPullEnabled").asBoolean(false),
        !"Disabled".equalsIgnoreCase(p.path("publicNetworkAccess").asText("Enabled")),
        "Deny".equalsIgnoreCase(p.path("networkRuleSet").path("defaultAction").asText("Allow")),
        rules,
        !"disabled"
            .equalsIgnoreCase(
                p.path("policies")
                    .path("azureADAuthenticationAsArmPolicy")
                    .path("status")
                    .asText("enabled")),
        "AbacRepositoryPermissions".equalsIgnoreCase(p.path("roleAssignmentMode").asText("")));
  }
}
