package dev.berth.reconciler.diagnosis.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.api.ResourceId;
import dev.berth.api.app.ContainerApp;
import dev.berth.api.app.ManagedServiceIdentity;
import dev.berth.store.ResourceStore;
import dev.berth.store.StoredResource;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What the diagnosis needs of a container app (read through {@link ContainerApp}): its attached
 * identities as the diagnosis names them, its secrets and its environment. Immutable.
 *
 * @param app the app's document
 * @param systemIdentity the system-assigned identity, when {@code identity.type} includes it
 * @param userAssigned the attached user-assigned identities, in document order
 */
public record AppFacts(
    ContainerApp app, Optional<IdentityFacts> systemIdentity, List<IdentityFacts> userAssigned) {

  public ResourceId id() {
    return app.id();
  }

  /** The app's name, as {@code berth containerapp … -n} takes it. */
  public String name() {
    return app.name();
  }

  /** The app's resource group, as {@code -g} takes it. */
  public String resourceGroup() {
    return app.id().resourceGroupName().orElse("");
  }

  public Optional<ResourceId> environment() {
    return app.environmentId();
  }

  /** Every attached identity: the system-assigned one first. */
  public List<IdentityFacts> identities() {
    List<IdentityFacts> all = new ArrayList<>();
    systemIdentity.ifPresent(all::add);
    all.addAll(userAssigned);
    return all;
  }

  /** The attached identity a registries[] entry's {@code identity} names, if attached. */
  public Optional<IdentityFacts> attached(String reference) {
    if (reference.equalsIgnoreCase(ManagedServiceIdentity.SYSTEM)) {
      return systemIdentity;
    }
    return app.identity()
        .userAssigned(reference)
        .flatMap(u -> userAssigned.stream().filter(i -> i.reference().equals(u.key())).findFirst());
  }

  /**
   * Reads the app; a user-assigned identity whose principal id the app does not carry is looked up
   * in its own document.
   */
  public static AppFacts from(StoredResource doc, ResourceStore store) {
    ContainerApp app = ContainerApp.of(doc.id(), doc.body());
    ManagedServiceIdentity identity = app.identity();
    String tenant = identity.tenantId().orElse("");
    Optional<IdentityFacts> system =
        identity.systemAssigned()
            ? Optional.of(
                new IdentityFacts(
                    ManagedServiceIdentity.SYSTEM,
                    "the system-assigned identity",
                    identity.principalId(),
                    tenant,
                    false))
            : Optional.empty();
    List<IdentityFacts> users = new ArrayList<>();
    for (ManagedServiceIdentity.UserAssigned u : identity.userAssigned()) {
      Optional<StoredResource> stored = u.id().flatMap(store::get);
      Optional<String> principal =
          u.principalId()
              .or(() -> stored.flatMap(d -> text(d.body().path("properties").path("principalId"))));
      String name = u.id().map(ResourceId::name).orElse(u.key());
      users.add(
          new IdentityFacts(
              u.key(),
              "the user-assigned identity " + name,
              principal,
              tenant,
              u.id().isPresent() && stored.isEmpty()));
    }
    return new AppFacts(app, system, List.copyOf(users));
  }

  /**
   * The secret {@code name}'s stored, sealed value (names compare case-insensitively, as ACA's do);
   * blank for a Key Vault reference, which holds none.
   */
  public Optional<String> secret(String name) {
    return app.secret(name).map(s -> s.value().orElse(""));
  }

  static Optional<String> text(JsonNode node) {
    return node.isTextual() && !node.asText().isBlank()
        ? Optional.of(node.asText().strip())
        : Optional.empty();
  }
}
