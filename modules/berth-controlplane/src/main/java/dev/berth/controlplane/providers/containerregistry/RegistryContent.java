package dev.berth.controlplane.providers.containerregistry;

import dev.berth.api.ResourceId;
import java.io.IOException;

/**
 * Removes what a registry's data plane stored (repositories, manifests, tags) when the registry, or
 * its group, is deleted. The server implements it over the registry's storage; blob bytes go at the
 * next garbage collection. Implementations must be thread-safe and idempotent.
 */
@FunctionalInterface
public interface RegistryContent {

  /**
   * Removes the content stored under {@code storageKey} (the registry instance's key, {@link
   * dev.berth.api.acr.AcrDocuments#storageKey}). Called before the registry's documents are
   * deleted; throwing fails the delete, and the registry stays.
   */
  void delete(ResourceId registry, String storageKey) throws IOException;
}
