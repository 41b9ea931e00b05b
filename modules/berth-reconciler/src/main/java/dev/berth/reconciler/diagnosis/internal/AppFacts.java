package dev.berth.reconciler.diagnosis.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.api.ResourceId;
import dev.berth.store.ResourceStore;
import dev.berth.store.StoredResource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * What the diagnosis needs of a container app's document (contract-app.md, aca-api.md §2.3, §2.5):
 * its attached identities, its secrets and its environment. Immutable.
 *
 * @param systemIdentity the system-assigned identity, when {@code identity.type} includes it
 * @param userAssigned the attached user-assigned identities, in document order
 * @param secrets {@code configuration.secrets[]} names to their stored values, sealed (opened only
 *     where a check compares one)
 */
public record AppFacts(
    ResourceId id,
    Optional<AppIdentity> systemIdentity,
    List<AppIdentity> userAssigned,
    Map<String, String> secrets,
    Optional<ResourceId> environment) {

  static final String SYSTEM = "system";

  /** The app's name, as {@code berth containerapp … -n} takes it. */
  public String name() {
    return id.name();
  }

  /** The app's resource group, as {@code -g} takes it. */
  public String resourceGroup() {
    return id.resourceGroupName().orElse("");
  }

  /** Every attached identity: the system-assigned one first. */
  public List<AppIdentity> identities() {
    List<AppIdentity> all = new ArrayList<>();
    systemIdentity.ifPresent(all::add);
    all.addAll(userAssigned);
    return all;
  }

  /** The attached identity a registries[] entry's {@code identity} names, if attached. */
  public Optional<AppIdentity> attached(String reference) {
    if (reference.equalsIgnoreCase(SYSTEM)) {
      return systemIdentity;
    }
    Optional<ResourceId> wanted = ResourceId.tryParse(reference);
    return userAssigned.stream()
        .filter(i -> wanted.isPresent() && wanted.equals(ResourceId.tryParse(i.reference())))
        .findFirst();
  }

  /**
   * Reads the app; a user-assigned identity whose principal id the app does not carry is looked up
   * in its own document.
   */
  public static AppFacts from(StoredResource app, ResourceStore store) {
    JsonNode body = app.body();
    JsonNode identity = body.path("identity");
    String tenant = identity.path("tenantId").asText("");
    String type = identity.path("type").asText("").replace(" ", "").toLowerCase(Locale.ROOT);
    Optional<AppIdentity> system = Optional.empty();
    if (type.contains("systemassigned")) {
      system =
          Optional.of(
              new AppIdentity(
                  SYSTEM,
                  "the system-assigned identity",
                  text(identity.path("principalId")),
                  tenant));
    }
    List<AppIdentity> users = new ArrayList<>();
    identity
        .path("userAssignedIdentities")
        .fields()
        .forEachRemaining(e -> users.add(userAssigned(e.getKey(), e.getValue(), tenant, store)));
    Map<String, String> secrets = new LinkedHashMap<>();
    JsonNode config = body.path("properties").path("configuration");
    for (JsonNode s : config.path("secrets")) {
      secrets.put(s.path("name").asText("").toLowerCase(Locale.ROOT), s.path("value").asText(""));
    }
    JsonNode props = body.path("properties");
    Optional<ResourceId> environment =
        text(props.path("environmentId"))
            .or(() -> text(props.path("managedEnvironmentId")))
            .flatMap(ResourceId::tryParse);
    return new AppFacts(app.id(), system, users, secrets, environment);
  }

  private static AppIdentity userAssigned(
      String key, JsonNode value, String tenant, ResourceStore store) {
    Optional<String> principal = text(value.path("principalId"));
    Optional<ResourceId> id = ResourceId.tryParse(key);
    if (principal.isEmpty() && id.isPresent()) {
      principal =
          store.get(id.get()).flatMap(d -> text(d.body().path("properties").path("principalId")));
    }
    String name = id.map(ResourceId::name).orElse(key);
    return new AppIdentity(key, "the user-assigned identity " + name, principal, tenant);
  }

  /**
   * The secret {@code name}'s stored, sealed value (names compare case-insensitively, as ACA's do).
   */
  public Optional<String> secret(String name) {
    return Optional.ofNullable(secrets.get(name.toLowerCase(Locale.ROOT)));
  }

  static Optional<String> text(JsonNode node) {
    return node.isTextual() && !node.asText().isBlank()
        ? Optional.of(node.asText().strip())
        : Optional.empty();
  }
}
