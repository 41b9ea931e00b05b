package dev.berth.controlplane.internal;

import dev.berth.api.ResourceId;

/**
 * An ARM action at a scope, such as {@code Microsoft.Resources/subscriptions/resourceGroups/write}.
 *
 * @param listing a list of the scope's resources: a caller denied the action at the scope but with
 *     a role assignment inside it still gets the list, with only the items it may read there
 */
public record Permission(String action, ResourceId scope, boolean listing) {

  public Permission(String action, ResourceId scope) {
    this(action, scope, false);
  }

  /** Reading the list of {@code scope}'s resources with {@code action}, filtered per item. */
  public static Permission listing(String action, ResourceId scope) {
    return new Permission(action, scope, true);
  }
}
