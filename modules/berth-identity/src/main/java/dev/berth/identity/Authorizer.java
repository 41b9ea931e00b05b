package dev.berth.identity;

import dev.berth.api.Principal;
import dev.berth.api.ResourceId;

/**
 * Role-based access control: may this principal perform this action at this scope? Decided from the
 * role assignments at the scope and every scope above it, and the actions and notActions of their
 * roles. Thread-safe.
 */
public interface Authorizer {

  /**
   * @param action an ARM action such as {@code
   *     Microsoft.Resources/subscriptions/resourceGroups/write}
   */
  boolean isAllowed(Principal principal, String action, ResourceId scope);

  /**
   * True when {@code principal} has a role assignment at {@code scope} or anywhere under it: what
   * lets a caller list a scope it may not read as a whole, and see only what it may read there (ARM
   * filters such lists rather than refusing them).
   */
  default boolean hasAssignmentWithin(Principal principal, ResourceId scope) {
    return false;
  }
}
