package dev.berth.registry;

import dev.berth.api.ResourceId;
import dev.berth.api.acr.AcrDocuments;
import dev.berth.store.Page;
import dev.berth.store.Query;
import dev.berth.store.ResourceStore;
import dev.berth.store.StoredResource;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

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
    List<Registry> all = new ArrayList<>();
    Query query = Query.descendants(ResourceId.root(), AcrDocuments.REGISTRY_TYPE).limit(500);
    while (true) {
      Page page = store.list(query);
      for (StoredResource doc : page.items()) {
        all.add(Registry.from(doc));
      }
      if (page.continuation().isEmpty()) {
        return all;
      }
      query = query.after(page.continuation().get());
    }
  }

  /**
   * The registry whose login server is {@code loginServer} (host or host:port), case-insensitively.
   */
  public Optional<Registry> byLoginServer(String loginServer) {
    String wanted = loginServer.toLowerCase(Locale.ROOT);
    return all().stream().filter(r -> r.loginServer().equals(wanted)).findFirst();
  }

  /** The registry as it is now, if it still exists. */
  public Optional<Registry> byId(ResourceId id) {
    return store.get(id).map(Registry::from);
  }
}
