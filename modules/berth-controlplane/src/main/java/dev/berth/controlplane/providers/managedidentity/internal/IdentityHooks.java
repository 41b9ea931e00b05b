package dev.berth.controlplane.providers.managedidentity.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.api.ResourceId;
import dev.berth.controlplane.ResourceHooks;
import dev.berth.identity.PrincipalAssignments;
import dev.berth.store.ResourceStore;
import java.util.Optional;
import java.util.UUID;

/**
 * User-assigned identities: assigns the read-only {@code tenantId}, {@code principalId}, {@code
 * clientId} and {@code isolationScope} once at creation (later writes keep them because the ARM
 * layer copies read-only properties from the stored document), and deletes the identity's role
 * assignments with it. Thread-safe (stateless apart from the store).
 */
public final class IdentityHooks implements ResourceHooks {

  private final ResourceStore store;
  private final String tenantId;

  public IdentityHooks(ResourceStore store, String tenantId) {
    this.store = store;
    this.tenantId = tenantId;
  }

  /**
   * The identity's principal ends here: its role assignments go (also when its group is deleted),
   * so no token or registry session of it is granted anything again.
   */
  @Override
  public void onDelete(ResourceId id, ObjectNode stored) {
    PrincipalAssignments.deleteAll(store, stored.path("properties").path("principalId").asText());
  }

  @Override
  public ObjectNode prepare(
      ResourceStore tx, ResourceId id, ObjectNode desired, Optional<ObjectNode> current) {
    ObjectNode p =
        desired.get("properties") instanceof ObjectNode props
            ? props
            : desired.putObject("properties");
    if (current.isEmpty() || !p.hasNonNull("principalId")) {
      // The principal and client ids are what role assignments and token requests name; they
      // must never change for the life of the identity (a re-created identity gets new ones).
      p.put("tenantId", tenantId);
      p.put("principalId", UUID.randomUUID().toString());
      p.put("clientId", UUID.randomUUID().toString());
      p.put("isolationScope", "None");
    }
    return desired;
  }
}
