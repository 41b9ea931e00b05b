package dev.berth.controlplane.providers.managedidentity.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.api.ResourceId;
import dev.berth.controlplane.ResourceHooks;
import java.util.Optional;
import java.util.UUID;

/**
 * User-assigned identities: assigns the read-only {@code tenantId}, {@code principalId}, {@code
 * clientId} and {@code isolationScope} once at creation. Later writes keep them because the ARM
 * layer copies read-only properties from the stored document. Thread-safe (stateless).
 */
public final class IdentityHooks implements ResourceHooks {

  private final String tenantId;

  public IdentityHooks(String tenantId) {
    this.tenantId = tenantId;
  }

  @Override
  public ObjectNode prepare(ResourceId id, ObjectNode desired, Optional<ObjectNode> current) {
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
