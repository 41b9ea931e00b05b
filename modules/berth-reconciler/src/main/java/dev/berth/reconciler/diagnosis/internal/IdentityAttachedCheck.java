package dev.berth.reconciler.diagnosis.internal;

import dev.berth.api.ResourceId;
import dev.berth.api.app.ManagedServiceIdentity;
import dev.berth.reconciler.diagnosis.CauseCode;
import dev.berth.reconciler.diagnosis.Finding;
import dev.berth.store.ResourceStore;
import java.util.List;
import java.util.Optional;

/**
 * The registries[] entry selects a managed identity the app cannot pull with: {@code system}
 * without a system-assigned identity, a user-assigned identity that is not attached (or does not
 * exist), or one still attached whose resource was deleted. Thread-safe.
 */
public final class IdentityAttachedCheck implements Check {

  private final ResourceStore store;

  public IdentityAttachedCheck(ResourceStore store) {
    this.store = store;
  }

  @Override
  public List<Finding> run(PullContext c) {
    Optional<String> selected = c.entryIdentity();
    if (selected.isEmpty()) {
      return List.of();
    }
    Optional<IdentityFacts> attached = c.app().attached(selected.get());
    if (attached.isPresent()) {
      return attached.get().deleted() ? deleted(c, attached.get()) : List.of();
    }
    String entry = "The registry entry for " + c.server();
    String grant = Commands.roleAssign("<principalId>", c.registry(), c.repository());
    String app = c.app().id().value();
    if (selected.get().equalsIgnoreCase(ManagedServiceIdentity.SYSTEM)) {
      return List.of(
          new Finding(
              CauseCode.SYSTEM_IDENTITY_MISSING,
              "App '" + c.app().name() + "' has no system-assigned identity",
              entry
                  + " pulls with identity 'system', but identity.type does not include"
                  + " SystemAssigned.",
              List.of(app),
              Commands.assignSystemIdentity(c.app()) + "\n" + grant));
    }
    Optional<ResourceId> id = ResourceId.tryParse(selected.get());
    if (id.isEmpty()) {
      return List.of(
          new Finding(
              CauseCode.IDENTITY_REFERENCE_INVALID,
              "The registry entry for " + c.server() + " names no identity",
              "Its identity '"
                  + selected.get()
                  + "' is neither 'system' nor a user-assigned identity's resource id.",
              List.of(app),
              Commands.registrySetIdentity(c.app(), c.server(), ManagedServiceIdentity.SYSTEM)));
    }
    String label = "The user-assigned identity " + id.get().name();
    if (store.get(id.get()).isEmpty()) {
      return List.of(
          new Finding(
              CauseCode.IDENTITY_NOT_FOUND,
              label + " does not exist",
              entry + " pulls with " + id.get() + ", which is not in the store.",
              List.of(id.get().value(), app),
              Commands.createIdentity(id.get())
                  + "\n"
                  + grant
                  + "\n"
                  + Commands.assignUserIdentity(c.app(), id.get().value())));
    }
    return List.of(
        new Finding(
            CauseCode.IDENTITY_NOT_ATTACHED,
            label + " is not attached to app '" + c.app().name() + "'",
            entry + " pulls with it, but it is not in the app's identity.userAssignedIdentities.",
            List.of(id.get().value(), app),
            Commands.assignUserIdentity(c.app(), id.get().value())));
  }

  /**
   * Still in the app's {@code userAssignedIdentities}, but its resource is gone: no token can be
   * had for it, and every write of the app ({@code containerapp update}, {@code registry set},
   * {@code identity remove} while the entry names it) is refused while it stays attached. So the
   * one fix that needs no other change is to create it again — it gets a new principal id, which
   * the app takes when the identity is assigned again — and grant that principal pull.
   */
  private static List<Finding> deleted(PullContext c, IdentityFacts identity) {
    ResourceId id = ResourceId.parse(identity.reference());
    return List.of(
        new Finding(
            CauseCode.IDENTITY_DELETED,
            "The user-assigned identity "
                + id.name()
                + " was deleted but is still attached to app '"
                + c.app().name()
                + "'",
            "The registry entry for "
                + c.server()
                + " pulls with it; no token can be had for an identity whose resource is gone."
                + " Create it again (it gets a new principal id), grant that principal pull and"
                + " attach the identity again (the app then takes the new principal id).",
            List.of(id.value(), c.app().id().value()),
            Commands.createIdentity(id)
                + "\n"
                + Commands.roleAssign("<principalId>", c.registry(), c.repository())
                + "\n"
                + Commands.assignUserIdentity(c.app(), id.value())));
  }
}
