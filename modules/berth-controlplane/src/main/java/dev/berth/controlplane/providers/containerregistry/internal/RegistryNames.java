package dev.berth.controlplane.providers.containerregistry.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.api.ArmErrorCode;
import dev.berth.api.ArmException;
import dev.berth.api.ResourceId;
import dev.berth.api.acr.AcrDocuments;
import dev.berth.controlplane.ResourceType.NameRule;
import dev.berth.http.Json;
import dev.berth.store.Query;
import dev.berth.store.ResourceStore;
import dev.berth.store.StoredResource;
import java.util.List;
import java.util.Optional;

/**
 * Registry names: 5–50 alphanumerics, unique across every subscription regardless of case (they
 * become DNS names), and the {@code checkNameAvailability} action over that rule. Thread-safe.
 */
public final class RegistryNames {

  /** ACR's rule ({@code ^[a-zA-Z0-9]*$}, 5–50) and its message. */
  public static final NameRule RULE =
      NameRule.of(
          "[a-zA-Z0-9]+",
          5,
          50,
          "Resource name '{name}' is invalid: registry names may contain alpha numeric characters"
              + " only and must be between 5 and 50 characters.");

  private final ResourceStore store;

  public RegistryNames(ResourceStore store) {
    this.store = store;
  }

  /** The registry, anywhere, that already holds {@code name} (case-insensitively), in {@code s}. */
  private static Optional<ResourceId> holder(ResourceStore s, String name) {
    // One scan of every registry: Berth holds tens of them, not millions, and a create runs it in
    // its transaction, so two creates of one name cannot both pass.
    return s.stream(Query.descendants(ResourceId.root(), AcrDocuments.REGISTRY_TYPE).limit(500))
        .map(StoredResource::id)
        .filter(id -> id.name().equalsIgnoreCase(name))
        .findFirst();
  }

  /** 409 when another registry holds the name; {@code tx} is the create's transaction. */
  static void requireFree(ResourceStore tx, ResourceId registry) {
    Optional<ResourceId> other = holder(tx, registry.name());
    if (other.isPresent() && !other.get().equals(registry)) {
      String message = "The registry " + registry.name() + " is already in use.";
      throw ArmException.of(ArmErrorCode.AlreadyInUse, message)
          .withTarget("name")
          .withDetails(List.of(new ArmException.Detail("AlreadyInUse", message, "name")));
    }
  }

  /**
   * {@code POST /subscriptions/{sub}/providers/Microsoft.ContainerRegistry/checkNameAvailability}
   * with {@code {"name","type":"Microsoft.ContainerRegistry/registries"}}.
   */
  public JsonNode checkNameAvailability(ResourceId subscription, ObjectNode body) {
    JsonNode name = body.get("name");
    if (name == null || !name.isTextual()) {
      throw Checks.invalid("name", "The property 'name' is required.");
    }
    JsonNode type = body.get("type");
    if (type == null || !AcrDocuments.REGISTRY_TYPE.equalsIgnoreCase(type.asText())) {
      throw Checks.invalid(
          "type", "The property 'type' must be '" + AcrDocuments.REGISTRY_TYPE + "'.");
    }
    ObjectNode out = Json.object();
    try {
      RULE.check(name.asText());
    } catch (ArmException e) {
      return out.put("nameAvailable", false)
          .put("reason", "Invalid")
          .put("message", e.getMessage());
    }
    if (holder(store, name.asText()).isPresent()) {
      return out.put("nameAvailable", false)
          .put("reason", "AlreadyExists")
          .put("message", "The registry " + name.asText() + " is already in use.");
    }
    return out.put("nameAvailable", true);
  }
}
