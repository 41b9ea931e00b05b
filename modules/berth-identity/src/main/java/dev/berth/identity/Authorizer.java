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
}
