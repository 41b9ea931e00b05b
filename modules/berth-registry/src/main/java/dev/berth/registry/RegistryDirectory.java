package dev.berth.registry;

import dev.berth.api.ResourceId;
import dev.berth.api.acr.AcrDocuments;
import dev.berth.api.acr.Registry;
import dev.berth.store.Query;
import dev.berth.store.ResourceStore;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Finds registries by login server, reading the control plane's documents on every call so that a
 * policy change applies to the next request. Thread-safe.
 */
public final class RegistryDirectory {

  private final ResourceStore store;

  public RegistryDirectory(ResourceStore store) {
    this.store = store;
  }

  /** Every registry in every subscription. */
  public List<Registry> all() {
    return store.stream(Query.descendants(ResourceId.root(), AcrDocuments.REGISTRY_TYPE).limit(500))
        .map(d -> Registry.from(d.id(), d.body()))
        .toList();
  }

  /**
   * The registry whose login server is {@code loginServer} (host or host:port), case-insensitively.
   */
  public Optional<Registry> byLoginServer(String loginServer) {
    return all().stream().filter(r -> r.servesAt(loginServer)).findFirst();
  }

  /**
   * The storage keys of every registry that exists now, in any state (a registry whose delete
   * failed keeps its repositories).
   */
  public Set<String> storageKeys() {
    return all().stream().map(Registry::storageKey).collect(Collectors.toUnmodifiableSet());
  }

  /** The registry as it is now, if it still exists. */
  public Optional<Registry> byId(ResourceId id) {
    return store.get(id).map(d -> Registry.from(d.id(), d.body()));
  }
}
