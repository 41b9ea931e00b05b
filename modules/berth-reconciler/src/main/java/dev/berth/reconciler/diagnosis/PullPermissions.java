package dev.berth.reconciler.diagnosis;

import dev.berth.api.Principal;
import dev.berth.api.ResourceId;

/**
 * The registry's own answer to "may this principal pull this repository?", with its role mode
 * (legacy or ABAC) and ABAC repository conditions applied exactly as the data plane applies them.
 * The server implements it over the registry module's access check, which the reconciler may not
 * depend on. Implementations must be thread-safe.
 */
public interface PullPermissions {

  /**
   * @param principal a managed identity ({@link Principal#objectId()} is its principal id)
   * @param registry the registry's resource id
   * @param repository the repository path, such as {@code team-a/api}
   * @return true when a token for {@code repository:<repository>:pull} would be granted
   */
  boolean canPull(Principal principal, ResourceId registry, String repository);
}
