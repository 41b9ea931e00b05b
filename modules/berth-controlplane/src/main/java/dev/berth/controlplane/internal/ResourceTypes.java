package dev.berth.controlplane.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.api.ResourceId;
import dev.berth.controlplane.ProviderAction;
import dev.berth.controlplane.ResourceType;
import dev.berth.store.StoredResource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * The resource types the generic handler serves, looked up case-insensitively by {@code
 * Namespace/type}. Immutable and thread-safe.
 */
public final class ResourceTypes {

  private final Map<String, ResourceType> byKey = new LinkedHashMap<>();

  public ResourceTypes(List<ResourceType> types) {
    for (ResourceType t : types) {
      if (byKey.putIfAbsent(t.key(), t) != null) {
        throw new IllegalArgumentException("resource type registered twice: " + t.type());
      }
    }
  }

  public Optional<ResourceType> find(String type) {
    return Optional.ofNullable(byKey.get(type.toLowerCase(Locale.ROOT)));
  }

  /** A provider action and the type that declares it. */
  public record ActionOf(ResourceType type, ProviderAction action) {}

  /** The subscription-level action {@code name} of {@code namespace}, if some type declares it. */
  public Optional<ActionOf> providerAction(String namespace, String name) {
    for (ResourceType t : byKey.values()) {
      if (!t.namespace().equalsIgnoreCase(namespace)) {
        continue;
      }
      for (ProviderAction a : t.providerActions()) {
        if (a.name().equalsIgnoreCase(name)) {
          return Optional.of(new ActionOf(t, a));
        }
      }
    }
    return Optional.empty();
  }

  /**
   * A stored resource as clients see it: {@link Documents#view} (etag, hidden fields dropped), then
   * its type's {@link dev.berth.controlplane.ResourceHooks#view}.
   */
  public ObjectNode view(StoredResource doc) {
    ObjectNode out = Documents.view(doc);
    return find(doc.body().path("type").asText())
        .map(t -> t.hooks().view(doc.id(), out))
        .orElse(out);
  }

  /**
   * {@link #view} for the documents of one listing, each type's {@link
   * dev.berth.controlplane.ResourceHooks#listingView} asked once for the whole listing.
   */
  public Function<StoredResource, JsonNode> listingView() {
    Map<String, BiFunction<ResourceId, ObjectNode, ObjectNode>> byType = new HashMap<>();
    return doc -> {
      ObjectNode out = Documents.view(doc);
      return find(doc.body().path("type").asText())
          .map(
              t ->
                  byType
                      .computeIfAbsent(t.type(), k -> t.hooks().listingView())
                      .apply(doc.id(), out))
          .orElse(out);
    };
  }

  public List<ResourceType> all() {
    return List.copyOf(byKey.values());
  }

  /** The tracked top-level types, which the generic {@code …/resources} lists show. */
  public List<ResourceType> trackedTopLevel() {
    List<ResourceType> out = new ArrayList<>();
    for (ResourceType t : byKey.values()) {
      if (t.tracked() && !t.typePath().contains("/")) {
        out.add(t);
      }
    }
    return out;
  }
}
