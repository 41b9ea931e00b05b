package dev.berth.controlplane.providers.containerregistry.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.api.ResourceId;
import dev.berth.api.acr.AcrDocuments;
import dev.berth.controlplane.LinkedResource;
import dev.berth.controlplane.ResourceHooks;
import dev.berth.store.ResourceStore;
import dev.berth.store.StoredResource;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

/**
 * Repository-scoped tokens ({@code registries/tokens}): the scope map must be one of the same
 * registry, {@code status} is {@code enabled|disabled}, and {@code credentials} are the server's
 * (password metadata appears there when {@code generateCredentials} runs; values never do). The
 * scope map is a linked resource: whoever points a token at it must be allowed to read it ({@code
 * …/scopeMaps/read}, the action ACR's token roles pair with {@code tokens/write}). Thread-safe.
 */
public final class TokenHooks implements ResourceHooks {

  private final Clock clock;

  public TokenHooks(Clock clock) {
    this.clock = clock;
  }

  @Override
  public ObjectNode prepare(
      ResourceStore tx, ResourceId id, ObjectNode desired, Optional<ObjectNode> current) {
    ObjectNode p = Checks.object(desired, "properties", "properties");
    ResourceId registry = id.parent().orElseThrow();
    p.put("scopeMapId", scopeMap(tx, registry, p.get("scopeMapId")).id().value());
    Checks.oneOf(p, "status", "enabled", "properties.status", "enabled", "disabled");
    if (current.isEmpty()) {
      p.put("creationDate", clock.instant().toString());
      ObjectNode credentials = p.putObject("credentials");
      credentials.putArray("passwords");
      credentials.putArray("certificates");
    }
    return desired;
  }

  /** What pointing a token at a scope map takes. */
  static final String USE_SCOPE_MAP = "Microsoft.ContainerRegistry/registries/scopeMaps/read";

  @Override
  public List<LinkedResource> links(ResourceId id, JsonNode doc) {
    return LinkedResource.ofText(
        "properties.scopeMapId", doc.path("properties").path("scopeMapId"), USE_SCOPE_MAP);
  }

  /** The stored scope map {@code value} names, which must belong to {@code registry}. */
  private static StoredResource scopeMap(ResourceStore tx, ResourceId registry, JsonNode value) {
    String target = "properties.scopeMapId";
    if (value == null || !value.isTextual() || value.asText().isBlank()) {
      throw Checks.invalid(target, "The property 'properties.scopeMapId' is required.");
    }
    ResourceId map;
    try {
      map = ResourceId.parse(value.asText());
    } catch (IllegalArgumentException e) {
      throw Checks.invalid(target, "The scope map id '" + value.asText() + "' is invalid.");
    }
    boolean sameRegistry =
        map.type().equalsIgnoreCase(AcrDocuments.SCOPE_MAP_TYPE)
            && map.parent().map(registry::equals).orElse(false);
    if (!sameRegistry) {
      throw Checks.invalid(
          target,
          "The scope map '"
              + value.asText()
              + "' must be a scope map of registry '"
              + registry.name()
              + "'.");
    }
    return tx.get(map)
        .orElseThrow(
            () -> Checks.invalid(target, "The scope map '" + value.asText() + "' does not exist."));
  }
}
