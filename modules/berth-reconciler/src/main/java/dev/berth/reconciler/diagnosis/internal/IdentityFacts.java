package dev.berth.reconciler.diagnosis.internal;

import dev.berth.api.Principal;
import java.util.Optional;

/**
 * A managed identity attached to a container app, as a registries[] entry selects it. Immutable.
 *
 * @param reference what {@code registries[].identity} says for it: {@code system} or the
 *     user-assigned identity's resource id
 * @param label how messages name it: {@code the user-assigned identity pull-id}
 * @param principalId its principal (object) id, which role assignments name; empty when unknown
 * @param tenantId the tenant of the principal
 * @param deleted a user-assigned identity still attached although its resource is gone: no token
 *     can be had for it, whatever roles its old principal still holds
 */
public record IdentityFacts(
    String reference,
    String label,
    Optional<String> principalId,
    String tenantId,
    boolean deleted) {

  /** The identity as RBAC sees it, when its principal id is known. */
  public Optional<Principal> principal() {
    return principalId.map(
        id -> new Principal(id, tenantId, "", Principal.PrincipalType.ServicePrincipal, label));
  }
}
