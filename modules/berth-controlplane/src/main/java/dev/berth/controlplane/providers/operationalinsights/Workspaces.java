package dev.berth.controlplane.providers.operationalinsights;

import dev.berth.api.ResourceId;
import dev.berth.api.secrets.SecretSealer;
import dev.berth.controlplane.providers.operationalinsights.internal.WorkspaceHooks;
import dev.berth.store.Query;
import dev.berth.store.ResourceStore;
import dev.berth.store.StoredResource;
import java.util.Optional;

/**
 * Finds a Log Analytics workspace the way an environment names it — by its {@code customerId} — and
 * checks a shared key against it, for the app provider's environments. Thread-safe.
 */
public final class Workspaces {

  private final SecretSealer sealer;

  public Workspaces(SecretSealer sealer) {
    this.sealer = sealer;
  }

  /** The workspace of {@code subscription} whose {@code customerId} is {@code customerId}. */
  public Optional<ResourceId> byCustomerId(
      ResourceStore store, ResourceId subscription, String customerId) {
    return store.stream(Query.descendants(subscription, OperationalInsightsProvider.WORKSPACE_TYPE))
        .filter(
            doc ->
                doc.body()
                    .path("properties")
                    .path("customerId")
                    .asText("")
                    .equalsIgnoreCase(customerId.strip()))
        .map(StoredResource::id)
        .findFirst();
  }

  /** True when {@code key} is the workspace's primary or secondary shared key. */
  public boolean isSharedKey(ResourceStore store, ResourceId workspace, String key) {
    return store
        .get(workspace)
        .map(doc -> WorkspaceHooks.matchesSharedKey(sealer, workspace, doc.body(), key))
        .orElse(false);
  }
}
