package dev.berth.identity;

import dev.berth.api.Principal;
import java.util.Objects;

/**
 * One managed identity a replica may ask tokens for: its app's system-assigned identity or one of
 * the user-assigned identities the app lists. Immutable.
 *
 * @param principal the identity's service principal ({@code objectId} = ARM {@code principalId},
 *     {@code appId} = {@code clientId})
 * @param systemAssigned true for the app's own system-assigned identity
 * @param resourceId the ARM id of the user-assigned identity ({@code
 *     /subscriptions/…/providers/Microsoft.ManagedIdentity/userAssignedIdentities/…}); null for the
 *     system-assigned one
 */
public record BoundIdentity(Principal principal, boolean systemAssigned, String resourceId) {

  public BoundIdentity {
    Objects.requireNonNull(principal, "principal");
    if (systemAssigned && resourceId != null) {
      throw new IllegalArgumentException("a system-assigned identity has no resource id");
    }
    if (!systemAssigned && (resourceId == null || resourceId.isBlank())) {
      throw new IllegalArgumentException("a user-assigned identity needs its ARM resource id");
    }
  }

  /** The app's system-assigned identity. */
  public static BoundIdentity system(Principal principal) {
    return new BoundIdentity(principal, true, null);
  }

  /** A user-assigned identity the app lists, named by its ARM resource id. */
  public static BoundIdentity userAssigned(Principal principal, String resourceId) {
    return new BoundIdentity(principal, false, resourceId);
  }
}
