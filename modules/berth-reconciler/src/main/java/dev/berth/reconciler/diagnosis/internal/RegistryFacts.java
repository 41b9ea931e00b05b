package dev.berth.reconciler.diagnosis.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.api.ResourceId;
import dev.berth.api.acr.AcrDocuments;
import dev.berth.store.Query;
import dev.berth.store.ResourceStore;
import dev.berth.store.StoredResource;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The properties of a Berth registry that decide whether a pull may succeed, read from its ARM
 * document ({@code Microsoft.ContainerRegistry/registries}) with Azure's defaults for absent ones
 * (reference acr-auth.md §3). Immutable.
 *
 * @param ipRules {@code networkRuleSet.ipRules[].value} (or {@code ipAddressOrRange}), IPv4 or CIDR
 */
public record RegistryFacts(
    ResourceId id,
    String loginServer,
    boolean adminUserEnabled,
    boolean anonymousPullEnabled,
    boolean publicNetworkAccess,
    boolean denyByDefault,
    List<String> ipRules,
    boolean armAudienceAccepted,
    boolean abacMode) {

  public RegistryFacts {
    ipRules = List.copyOf(ipRules);
  }

  /** The registry's name, as {@code berth acr … -n} takes it. */
  public String name() {
    return id.name();
  }

  /** The Berth registry whose {@code properties.loginServer} is {@code server}, if any. */
  public static Optional<RegistryFacts> find(ResourceStore store, String server) {
    return store.stream(Query.descendants(ResourceId.root(), AcrDocuments.REGISTRY_TYPE))
        .filter(
            d ->
                d.body().path("properties").path("loginServer").asText("").equalsIgnoreCase(server))
        .findFirst()
        .map(RegistryFacts::from);
  }

  static RegistryFacts from(StoredResource document) {
    JsonNode p = document.body().path("properties");
    JsonNode rules = p.path("networkRuleSet");
    List<String> ipRules = new ArrayList<>();
    for (JsonNode rule : rules.path("ipRules")) {
      String value = rule.path("value").asText(rule.path("ipAddressOrRange").asText(""));
      if (!value.isBlank() && !"Deny".equalsIgnoreCase(rule.path("action").asText("Allow"))) {
        ipRules.add(value.strip());
      }
    }
    return new RegistryFacts(
        document.id(),
        p.path("loginServer").asText(""),
        p.path("adminUserEnabled").asBoolean(false),
        p.path("anonymousPullEnabled").asBoolean(false),
        !"Disabled".equalsIgnoreCase(p.path("publicNetworkAccess").asText("Enabled")),
        "Deny".equalsIgnoreCase(rules.path("defaultAction").asText("Allow")),
        ipRules,
        !"disabled"
            .equalsIgnoreCase(
                p.path("policies")
                    .path("azureADAuthenticationAsArmPolicy")
                    .path("status")
                    .asText("enabled")),
        "AbacRepositoryPermissions".equalsIgnoreCase(p.path("roleAssignmentMode").asText("")));
  }
}
