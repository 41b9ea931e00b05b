package dev.berth.reconciler.diagnosis;

import dev.berth.api.Principal;
import dev.berth.api.ResourceId;
import dev.berth.api.acr.AccessDecision;

/**
 * The registry's own answer to "may this principal pull this repository?", with its role mode
 * (legacy or ABAC) and ABAC repository conditions applied exactly as the data plane applies them,
 * and the reason when not. The server implements it with the registry module's decision, which the
 * reconciler may not depend on. Implementations must be thread-safe.
 */
public interface PullPermissions {

  /**
   * @param principal a managed identity ({@link Principal#objectId()} is its principal id)
   * @param registry the registry's resource id
   * @param repository the repository path, such as {@code team-a/api}
   * @return what a token for {@code repository:<repository>:pull} would be granted: granted (by
   *     which role), or why not ({@code NO_ROLE}, {@code ROLE_NOT_HONOURED}, {@code
   *     CONDITION_EXCLUDES})
   */
  AccessDecision pull(Principal principal, ResourceId registry, String repository);
}
