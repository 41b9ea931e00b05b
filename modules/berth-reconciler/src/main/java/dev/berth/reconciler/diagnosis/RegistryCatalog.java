package dev.berth.reconciler.diagnosis;

import dev.berth.api.ResourceId;
import java.util.List;
import java.util.Optional;

/**
 * The tags a Berth registry holds, read from the registry's metadata store. The server implements
 * it over the registry module, which the reconciler may not depend on. Implementations must be
 * thread-safe.
 */
public interface RegistryCatalog {

  /**
   * @return the repository's tags, newest first (the last pushed or moved first, then by name);
   *     empty when the repository does not exist
   */
  Optional<List<String>> tags(ResourceId registry, String repository);
}
