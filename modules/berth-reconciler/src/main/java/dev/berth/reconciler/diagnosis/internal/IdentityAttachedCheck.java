package dev.berth.reconciler.diagnosis.internal;

import dev.berth.api.ResourceId;
import dev.berth.api.app.ManagedServiceIdentity;
import dev.berth.reconciler.diagnosis.Finding;
import dev.berth.store.ResourceStore;
import java.util.List;
import java.util.Optional;

/**
 * The registries[] entry selects a managed identity the app does not have: {@code system} without a
 * system-assigned identity, or a user-assigned identity that is not attached (or does not exist).
 * Thread-safe.
 */
public final class IdentityAttachedCheck implements Check {

  private final ResourceStore store;

  public IdentityAttachedCheck(ResourceStore store) {
    this.store = store;
  }

  @Override
  public List<Finding> run(PullContext c) {
    Optional<String> selected = c.entryIdentity();
    if (selected.isEmpty() || c.app().attached(selected.get()).isPresent()) {
      return List.of();
    }
    String entry = "The registry entry for " + c.server();
    String grant = Commands.roleAssign("<principalId>", c.registry(), c.repository());
    if (selected.get().equalsIgnoreCase(ManagedServiceIdentity.SYSTEM)) {
      return List.of(
          new Finding(
              "App '" + c.app().name() + "' has no system-assigned identity",
              entry
                  + " pulls with identity 'system', but identity.type does not include"
                  + " SystemAssigned.",
              Commands.assignSystemIdentity(c.app()) + "\n" + grant));
    }
    Optional<ResourceId> id = ResourceId.tryParse(selected.get());
    if (id.isEmpty()) {
      return List.of(
          new Finding(
              "The registry entry for " + c.server() + " names no identity",
              "Its identity '"
                  + selected.get()
                  + "' is neither 'system' nor a user-assigned identity's resource id.",
              Commands.registrySetIdentity(c.app(), c.server(), ManagedServiceIdentity.SYSTEM)));
    }
    String label = "The user-assigned identity " + id.get().name();
    if (store.get(id.get()).isEmpty()) {
      return List.of(
          new Finding(
              label + " does not exist",
              entry + " pulls with " + id.get() + ", which is not in the store.",
              Commands.createIdentity(id.get())
                  + "\n"
                  + grant
                  + "\n"
                  + Commands.assignUserIdentity(c.app(), id.get().value())));
    }
    return List.of(
        new Finding(
            label + " is not attached to app '" + c.app().name() + "'",
            entry + " pulls with it, but it is not in the app's identity.userAssignedIdentities.",
            Commands.assignUserIdentity(c.app(), id.get().value())));
  }
}
